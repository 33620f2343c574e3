// Reads behind the browse pages that the lists (queries.ts) do not answer: the genres and years
// to filter by, an album's page, the photo timeline (months with photos) and photo folders.
import type { Db } from '../db/connection.js';
import { FOLDER_OF, MONTH_OF } from './browse-filters.js';
import type { AlbumRow, LibraryQueries, TrackRow } from './queries.js';
import { shows, type ShowRow } from './show-queries.js';

export interface AlbumPage { album: AlbumRow; genres: string[]; discs: number; tracks: TrackRow[] }

/** A user's library limit (null: every library), as the lists take it. */
export type Libraries = readonly string[] | null;

/** SQL keeping `fileId` to the libraries (one JSON parameter), or nothing with no limit. */
const within = (fileId: string, libs: Libraries): [string, unknown[]] =>
  libs ? [` AND ${fileId} IN (SELECT id FROM files WHERE library IN (SELECT value FROM json_each(?)))`, [JSON.stringify(libs)]] : ['', []];

export class BrowseQueries {
  private db: Db;
  constructor(private lists: LibraryQueries) {
    this.db = lists.db;
  }

  /** An album with every track in disc and track order, or undefined when there is no such album. */
  album(id: number, libraries: Libraries = null): AlbumPage | undefined {
    const album = this.lists.albums({ id, limit: 1, offset: 0, libraries }).items[0];
    if (!album) return undefined;
    const tracks = this.lists.tracks({ albumId: id, limit: 10_000, offset: 0, libraries }).items;
    const genres = [...new Set(tracks.map((t) => t.genre).filter((g): g is string => !!g))];
    const discs = Math.max(1, ...tracks.map((t) => Math.max(t.discNo ?? 1, t.discTotal ?? 1)));
    return { album, genres, discs, tracks };
  }

  genres(libraries: Libraries = null): { name: string; tracks: number; albums: number }[] {
    const [w, p] = within('id', libraries);
    return this.db
      .prepare(`SELECT min(genre) AS name, count(*) AS tracks, count(DISTINCT album_id) AS albums FROM tracks
                WHERE genre IS NOT NULL AND genre <> ''${w} GROUP BY genre COLLATE NOCASE ORDER BY genre COLLATE NOCASE`)
      .all(...p) as { name: string; tracks: number; albums: number }[];
  }

  years(libraries: Libraries = null): { year: number; albums: number; tracks: number }[] {
    const [w, p] = within('t.id', libraries);
    // With a limit, an album counts in the year when one of its tracks there does.
    const albums = libraries ? 'count(DISTINCT t.album_id)' : '(SELECT count(*) FROM albums al WHERE al.year = t.year)';
    return this.db
      .prepare(`SELECT year, ${albums} AS albums, count(*) AS tracks FROM tracks t
                WHERE year IS NOT NULL${w} GROUP BY year ORDER BY year DESC`)
      .all(...p) as { year: number; albums: number; tracks: number }[];
  }

  /** Months with photos, newest first; photos with no date taken are counted apart. */
  photoTimeline(libraries: Libraries = null): { months: { month: string; year: number; photos: number }[]; undated: number } {
    const [w, p] = within('id', libraries);
    const months = (this.db
      .prepare(`SELECT ${MONTH_OF('taken_at')} AS month, count(*) AS photos FROM photos WHERE taken_at IS NOT NULL${w} GROUP BY month ORDER BY month DESC`)
      .all(...p) as { month: string; photos: number }[]).map((m) => ({ ...m, year: Number(m.month.slice(0, 4)) }));
    const undated = this.db.prepare(`SELECT count(*) FROM photos WHERE taken_at IS NULL${w}`).pluck().get(...p) as number;
    return { months, undated };
  }

  /** Folders holding photos (relative to their library's root, '' for the root), with a cover. */
  photoFolders(libraries: Libraries = null): { library: string; folder: string; photos: number; artHash: string | null }[] {
    const [w, p] = within('p.id', libraries);
    return (this.db
      .prepare(`SELECT g.library, g.folder, g.photos, aw.hash AS art_hash FROM
                  (SELECT f.library, ${FOLDER_OF('f.rel')} AS folder, count(*) AS photos, min(p.art_id) AS art_id
                   FROM photos p JOIN files f ON f.id = p.id WHERE 1${w} GROUP BY f.library, folder) g
                LEFT JOIN artwork aw ON aw.id = g.art_id ORDER BY g.library, g.folder`)
      .all(...p) as { library: string; folder: string; photos: number; art_hash: string | null }[]).map((r) => ({
      library: r.library, folder: r.folder.replace(/\/$/, ''), photos: r.photos, artHash: r.art_hash,
    }));
  }

  shows(q?: string, libraries: Libraries = null): ShowRow[] {
    return shows(this.db, q, libraries);
  }
}
