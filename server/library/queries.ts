// Read side of the library: lists with paging and search, stats, lookups for the media routes.
// Every list answers { items, total }; search matches word prefixes ("beat" finds "Beatles"),
// case and diacritics folded, over titles, artists, albums and file names, through the FTS5
// tables migration 8 keeps current.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection.js';
import { albumFilters, albumOrder, photoFilters, trackFilters, trackOrder, type BrowseFilter, type PhotoFilter } from './browse-filters.js';
import { TRACK_DEFAULT_ORDER, TRACK_ORDER_FROM, TrackOrder } from './search-order.js';

export interface Page {
  limit: number;
  offset: number;
  q?: string | undefined;
  /** Only items of these libraries (a user's restriction); null or absent: every library. */
  libraries?: readonly string[] | null | undefined;
  /** Only the items with these ids (the DLNA tree reads a page's rows by id): then in no order, and `total` is the rows found. */
  ids?: readonly number[] | undefined;
}

const IN_LIBRARIES = 'IN (SELECT value FROM json_each(?))';

/** Keeps rows to the page's libraries, if it names any: `clause` tests a library name against IN_LIBRARIES. */
function scoped(p: Page, clause: (inLibraries: string) => string, where: string[], params: unknown[]): void {
  if (!p.libraries) return;
  const sql = clause(IN_LIBRARIES);
  where.push(sql);
  for (let i = sql.split(IN_LIBRARIES).length - 1; i > 0; i--) params.push(JSON.stringify(p.libraries));
}
const byFile = (alias: string) => (inLibraries: string) => `${alias} ${inLibraries}`;

/** One item of any kind, for playback. */
export type LibraryItem = { kind: 'audio'; track: TrackRow } | { kind: 'video'; video: VideoRow } | { kind: 'photo'; photo: PhotoRow };

export interface TrackFilter extends Page, BrowseFilter {
  id?: number | undefined;
  albumId?: number | undefined;
  artistId?: number | undefined;
}

export interface AlbumFilter extends Page, BrowseFilter {
  id?: number | undefined;
  artistId?: number | undefined;
}

export interface TrackRow {
  id: number; title: string; artist: string; artistId: number; album: string | null; albumId: number | null; albumArtist: string | null;
  trackNo: number | null; trackTotal: number | null; discNo: number | null; discTotal: number | null; year: number | null; genre: string | null;
  duration: number | null; codec: string | null; container: string | null; lossless: boolean | null; sampleRate: number | null; bitDepth: number | null;
  channels: number | null; bitrate: number | null; replayGain: { trackGain: number | null; trackPeak: number | null; albumGain: number | null; albumPeak: number | null };
  mime: string; size: number; library: string; path: string; artHash: string | null;
}

export interface AlbumRow { id: number; title: string; artist: string; artistId: number; year: number | null; compilation: boolean; tracks: number; duration: number; artHash: string | null }
export interface ArtistRow { id: number; name: string; albums: number; tracks: number; artHash: string | null }
export interface VideoRow {
  id: number; title: string; year: number | null; container: string | null; duration: number | null; bitrate: number | null; width: number | null; height: number | null;
  videoCodec: string | null; audioCodec: string | null; hdr: string | null; streams: unknown[]; subtitles: unknown[];
  mime: string; size: number; library: string; path: string; artHash: string | null;
}
export interface PhotoRow {
  id: number; title: string; takenAt: number | null; cameraMake: string | null; cameraModel: string | null; orientation: number | null;
  width: number | null; height: number | null; latitude: number | null; longitude: number | null; mime: string; size: number; library: string; path: string; artHash: string | null;
}

export interface ErrorRow { id: number; library: string; path: string; error: string; size: number; scannedAt: number }

/** The FTS5 query for what a person typed: every word, as a prefix, must appear. Words are
 *  quoted, so nothing typed is FTS syntax. null when nothing searchable was typed. */
export function ftsQuery(q: string | undefined): string | null {
  const words = q?.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean) ?? [];
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/** Keeps rows of `alias` to the page's ids, if it names any. */
function onlyIds(p: Page, alias: string, where: string[], params: unknown[]): void {
  if (p.ids) (where.push(`${alias}.id IN (SELECT value FROM json_each(?))`), params.push(JSON.stringify(p.ids)));
}

/** A WHERE term keeping rows of `alias` whose id the FTS table matches. */
const matches = (fts: string, alias: string) => `${alias}.id IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?)`;

function filters(q: string | null, alias: string, id: number | undefined): [string[], unknown[]] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q) (where.push(matches('library_fts', alias)), params.push(q));
  if (id !== undefined) (where.push(`${alias}.id = ?`), params.push(id));
  return [where, params];
}

const TRACK_SELECT = 't.*, ar.name AS artist, al.title AS album, aa.name AS album_artist, f.mime, f.size, f.library, f.rel, aw.hash AS art_hash';
const TRACK_FROM = `tracks t JOIN files f ON f.id = t.id JOIN artists ar ON ar.id = t.artist_id LEFT JOIN albums al ON al.id = t.album_id
  LEFT JOIN artists aa ON aa.id = al.artist_id LEFT JOIN artwork aw ON aw.id = t.art_id`;
const trackRow = (r: Record<string, unknown>): TrackRow => ({
  id: r.id as number, title: r.title as string, artist: r.artist as string, artistId: r.artist_id as number,
  album: r.album as string | null, albumId: r.album_id as number | null, albumArtist: r.album_artist as string | null,
  trackNo: r.track_no as number | null, trackTotal: r.track_total as number | null, discNo: r.disc_no as number | null, discTotal: r.disc_total as number | null,
  year: r.year as number | null, genre: r.genre as string | null, duration: r.duration as number | null, codec: r.codec as string | null,
  container: r.container as string | null, lossless: r.lossless === null ? null : r.lossless === 1, sampleRate: r.sample_rate as number | null,
  bitDepth: r.bit_depth as number | null, channels: r.channels as number | null, bitrate: r.bitrate as number | null,
  replayGain: { trackGain: r.rg_track_gain as number | null, trackPeak: r.rg_track_peak as number | null, albumGain: r.rg_album_gain as number | null, albumPeak: r.rg_album_peak as number | null },
  mime: r.mime as string, size: r.size as number, library: r.library as string, path: r.rel as string, artHash: r.art_hash as string | null,
});

export class LibraryQueries {
  private readonly trackOrder: TrackOrder;
  /** Prepared statements by their SQL: the list queries are built from a few shapes; each is
   *  prepared once, not on every call (a DLNA Browse page makes several). */
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Db) {
    this.trackOrder = new TrackOrder(db);
  }

  private prepared(sql: string, pluck = false): Statement {
    const key = pluck ? `pluck:${sql}` : sql;
    let s = this.statements.get(key);
    if (!s) {
      if (this.statements.size >= 256) this.statements.clear(); // shapes are few; ids lists of every length are not
      s = this.db.prepare(sql);
      if (pluck) s.pluck();
      this.statements.set(key, s);
    }
    return s;
  }

  /** `narrow`: the joins the filter and the order need, and the row key. With it, the count and the
   *  sort touch only those (a search matching 100,000 tracks sorts ids, not whole rows), and the
   *  full rows are read for the page alone. */
  private page<T>(select: string, from: string, where: string[], params: unknown[], order: string, p: Page, map: (r: Record<string, unknown>) => T, narrow?: { from: string; key: string }): { items: T[]; total: number } {
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (p.ids) {
      // Rows by id (the DLNA tree, which places them itself): a set, neither counted nor sorted (a
      // sort and a count over the joins were a third of a Browse page's time).
      const rows = this.prepared(`SELECT ${select} FROM ${from} ${w} LIMIT ? OFFSET ?`).all(...params, p.limit, p.offset) as Record<string, unknown>[];
      return { items: rows.map(map), total: rows.length };
    }
    const total = this.prepared(`SELECT count(*) FROM ${narrow?.from ?? from} ${w}`, true).get(...params) as number;
    const rows = narrow
      ? (this.prepared(`SELECT ${select} FROM ${from} WHERE ${narrow.key} IN (SELECT ${narrow.key} FROM ${narrow.from} ${w} ORDER BY ${order} LIMIT ? OFFSET ?) ORDER BY ${order}`).all(...params, p.limit, p.offset) as Record<string, unknown>[])
      : (this.prepared(`SELECT ${select} FROM ${from} ${w} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, p.limit, p.offset) as Record<string, unknown>[]);
    return { items: rows.map(map), total };
  }

  tracks(f: TrackFilter): { items: TrackRow[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    const q = ftsQuery(f.q);
    // Typed text and nothing else: ranked in memory (search-order.ts), only the page's rows read.
    const plain = q && f.albumId === undefined && f.id === undefined && f.ids === undefined && f.artistId === undefined && !f.libraries && f.genre === undefined && f.year === undefined && !f.sort;
    if (plain) {
      const { ids, total } = this.trackOrder.page(q, f.limit, f.offset);
      const rows = ids.length ? (this.prepared(`SELECT ${TRACK_SELECT} FROM ${TRACK_FROM} WHERE t.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Record<string, unknown>[]) : [];
      const byId = new Map(rows.map((r) => [r.id as number, trackRow(r)]));
      return { items: ids.flatMap((id) => byId.get(id) ?? []), total };
    }
    if (q) (where.push(matches('library_fts', 't')), params.push(q));
    if (f.albumId !== undefined) (where.push('t.album_id = ?'), params.push(f.albumId));
    if (f.id !== undefined) (where.push('t.id = ?'), params.push(f.id));
    onlyIds(f, 't', where, params);
    if (f.artistId !== undefined) (where.push('(t.artist_id = ? OR al.artist_id = ?)'), params.push(f.artistId, f.artistId));
    scoped(f, byFile('f.library'), where, params);
    const [bw, bp] = trackFilters(f);
    (where.push(...bw), params.push(...bp));
    return this.page(
      TRACK_SELECT, TRACK_FROM, where, params,
      // t.id last: ties ordered the same in the id sort and the page's, so pages never overlap.
      f.sort ? `${trackOrder[f.sort]}, t.id` : f.albumId !== undefined ? 'coalesce(t.disc_no, 1), t.track_no, t.title, t.id' : TRACK_DEFAULT_ORDER,
      f, trackRow,
      // files f: a user's library limit (scoped) filters on f.library.
      { from: TRACK_ORDER_FROM, key: 't.id' },
    );
  }

  albums(f: AlbumFilter): { items: AlbumRow[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    const q = ftsQuery(f.q);
    if (q) (where.push(matches('albums_fts', 'al')), params.push(q));
    if (f.artistId !== undefined) (where.push('(al.artist_id = ? OR al.id IN (SELECT album_id FROM tracks WHERE artist_id = ?))'), params.push(f.artistId, f.artistId));
    scoped(f, (inLibraries) => `al.id IN (SELECT t.album_id FROM tracks t JOIN files f ON f.id = t.id WHERE f.library ${inLibraries})`, where, params);
    if (f.id !== undefined) (where.push('al.id = ?'), params.push(f.id));
    const [bw, bp] = albumFilters(f);
    (where.push(...bw), params.push(...bp));
    return this.page(
      `al.*, ar.name AS artist, aw.hash AS art_hash, (SELECT count(*) FROM tracks WHERE album_id = al.id) AS tracks,
       (SELECT coalesce(sum(duration), 0) FROM tracks WHERE album_id = al.id) AS total_duration`,
      'albums al JOIN artists ar ON ar.id = al.artist_id LEFT JOIN artwork aw ON aw.id = al.art_id',
      where, params, f.sort ? albumOrder[f.sort] : 'ar.sort_name, al.year, al.title COLLATE NOCASE', f,
      (r) => ({ id: r.id as number, title: r.title as string, artist: r.artist as string, artistId: r.artist_id as number, year: r.year as number | null, compilation: r.compilation === 1, tracks: r.tracks as number, duration: r.total_duration as number, artHash: r.art_hash as string | null }),
    );
  }

  artists(p: Page): { items: ArtistRow[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    const q = ftsQuery(p.q);
    if (q) (where.push(matches('artists_fts', 'ar')), params.push(q));
    // An artist of a track, or the album artist of an album, in one of the libraries.
    scoped(p, (inLibraries) => `ar.id IN (SELECT t.artist_id FROM tracks t JOIN files f ON f.id = t.id WHERE f.library ${inLibraries}
      UNION SELECT al.artist_id FROM albums al JOIN tracks t ON t.album_id = al.id JOIN files f ON f.id = t.id WHERE f.library ${inLibraries})`, where, params);
    return this.page(
      `ar.*, (SELECT count(*) FROM albums WHERE artist_id = ar.id) AS albums, (SELECT count(*) FROM tracks WHERE artist_id = ar.id) AS tracks,
       (SELECT aw.hash FROM albums al JOIN artwork aw ON aw.id = al.art_id WHERE al.artist_id = ar.id ORDER BY al.year LIMIT 1) AS art_hash`,
      'artists ar', where, params, 'ar.sort_name', p,
      (r) => ({ id: r.id as number, name: r.name as string, albums: r.albums as number, tracks: r.tracks as number, artHash: r.art_hash as string | null }),
    );
  }

  videos(p: Page & { id?: number }): { items: VideoRow[]; total: number } {
    const q = ftsQuery(p.q);
    const [where, params] = filters(q, 'v', p.id);
    onlyIds(p, 'v', where, params);
    scoped(p, byFile('f.library'), where, params);
    return this.page(
      'v.*, f.mime, f.size, f.library, f.rel, aw.hash AS art_hash',
      'videos v JOIN files f ON f.id = v.id LEFT JOIN artwork aw ON aw.id = v.art_id',
      where, params, 'v.title COLLATE NOCASE', p,
      (r) => ({
        id: r.id as number, title: r.title as string, year: r.year as number | null, container: r.container as string | null, duration: r.duration as number | null, bitrate: r.bitrate as number | null,
        width: r.width as number | null, height: r.height as number | null, videoCodec: r.video_codec as string | null, audioCodec: r.audio_codec as string | null,
        hdr: r.hdr as string | null, streams: JSON.parse(r.streams as string) as unknown[], subtitles: JSON.parse(r.subtitles as string) as unknown[],
        mime: r.mime as string, size: r.size as number, library: r.library as string, path: r.rel as string, artHash: r.art_hash as string | null,
      }),
    );
  }

  photos(p: Page & PhotoFilter & { id?: number }): { items: PhotoRow[]; total: number } {
    const q = ftsQuery(p.q);
    const [where, params] = filters(q, 'p', p.id);
    onlyIds(p, 'p', where, params);
    scoped(p, byFile('f.library'), where, params);
    const [pw, pp] = photoFilters(p);
    (where.push(...pw), params.push(...pp));
    return this.page(
      'p.*, f.mime, f.size, f.library, f.rel, aw.hash AS art_hash',
      'photos p JOIN files f ON f.id = p.id LEFT JOIN artwork aw ON aw.id = p.art_id',
      where, params, 'p.taken_at DESC NULLS LAST, p.title COLLATE NOCASE', p,
      (r) => ({
        id: r.id as number, title: r.title as string, takenAt: r.taken_at as number | null, cameraMake: r.camera_make as string | null, cameraModel: r.camera_model as string | null,
        orientation: r.orientation as number | null, width: r.width as number | null, height: r.height as number | null, latitude: r.latitude as number | null,
        longitude: r.longitude as number | null, mime: r.mime as string, size: r.size as number, library: r.library as string, path: r.rel as string, artHash: r.art_hash as string | null,
      }),
    );
  }

  errors(p: Page): { items: ErrorRow[]; total: number } {
    const where = ['error IS NOT NULL'];
    const params: unknown[] = [];
    scoped(p, byFile('library'), where, params);
    return this.page('id, library, rel, error, size, scanned_at', 'files', where, params, 'library, rel', p, (r) => ({
      id: r.id as number, library: r.library as string, path: r.rel as string, error: r.error as string, size: r.size as number, scannedAt: r.scanned_at as number,
    }));
  }

  counts(): { tracks: number; albums: number; artists: number; videos: number; photos: number; errors: number; files: number } {
    const one = (sql: string) => this.db.prepare(sql).pluck().get() as number;
    return {
      tracks: one('SELECT count(*) FROM tracks'),
      albums: one('SELECT count(*) FROM albums'),
      artists: one('SELECT count(*) FROM artists'),
      videos: one('SELECT count(*) FROM videos'),
      photos: one('SELECT count(*) FROM photos'),
      errors: one('SELECT count(*) FROM files WHERE error IS NOT NULL'),
      files: one('SELECT count(*) FROM files'),
    };
  }

  /** Any item by id, whatever its kind (within `libraries` when given). */
  item(id: number, libraries?: readonly string[] | null): LibraryItem | undefined {
    const one = { limit: 1, offset: 0, id, libraries };
    const track = this.tracks(one).items[0];
    if (track) return { kind: 'audio', track };
    const video = this.videos(one).items[0];
    if (video) return { kind: 'video', video };
    const photo = this.photos(one).items[0];
    return photo ? { kind: 'photo', photo } : undefined;
  }

  /** Ids of items whose file lies under a path (relative to a library root), for "play this file". */
  idsByPath(rel: string, libraries?: readonly string[] | null): number[] {
    const where = ['error IS NULL', '(rel = ? OR substr(rel, 1, ?) = ?)'];
    const params: unknown[] = [rel, rel.length + 1, `${rel}/`];
    scoped({ limit: 0, offset: 0, libraries }, byFile('library'), where, params);
    return this.db.prepare(`SELECT id FROM files WHERE ${where.join(' AND ')} ORDER BY rel`).pluck().all(...params) as number[];
  }

  /** What the media routes need to serve an item. */
  file(id: number): { id: number; path: string; library: string; mime: string; size: number; mtimeMs: number; kind: 'audio' | 'video' | 'photo'; duration: number | null; videoCodec: string | null } | undefined {
    return this.db
      .prepare(`SELECT f.id, f.path, f.library, f.mime, f.size, f.mtime_ms AS mtimeMs, f.kind, coalesce(t.duration, v.duration) AS duration, v.video_codec AS videoCodec
                FROM files f LEFT JOIN tracks t ON t.id = f.id LEFT JOIN videos v ON v.id = f.id WHERE f.id = ? AND f.error IS NULL`)
      .get(id) as ReturnType<LibraryQueries['file']>;
  }

  art(hash: string): { path: string; mime: string } | undefined {
    return this.db.prepare('SELECT path, mime FROM artwork WHERE hash = ?').get(hash) as { path: string; mime: string } | undefined;
  }
}
