// A plain search of the tracks (typed text and nothing else: what the remote sends while someone
// types) without sorting every match by the list's own joined columns: a one-letter prefix matches
// the whole library, and joining and sorting 100,000 rows for the first 50 took ~300 ms; reading
// the 100,000 matching rowids into JavaScript to rank them there still took 150–450 ms. The tracks'
// places in the list's order are kept in a TEMP table of this connection (rebuilt in SQL when
// migration 12's counter says the tracks, albums or artists changed), so SQLite ranks the FTS5
// matches by an integer join and hands back only the page's ids. The last pages asked are kept
// for the same library version: someone typing "art", deleting back to "a" and going on sends the
// short prefixes, the dearest ones, again. The counter covers what a track's search text holds:
// the writer replaces a track (DELETE + INSERT, both counted), it never updates one in place.
import type { Db } from '../db/connection.js';

/** The track list's order with no sort asked for (queries.ts uses the same). */
export const TRACK_DEFAULT_ORDER = 'aa.sort_name, al.year, al.title COLLATE NOCASE, coalesce(t.disc_no, 1), t.track_no, t.title COLLATE NOCASE, t.id';
export const TRACK_ORDER_FROM = 'tracks t JOIN files f ON f.id = t.id LEFT JOIN albums al ON al.id = t.album_id LEFT JOIN artists aa ON aa.id = al.artist_id';

const KEPT_PAGES = 64;

export class TrackOrder {
  private made = false;
  /** Recent answers of the current version, oldest first (a Map keeps insertion order). */
  private pages = new Map<string, { ids: number[]; total: number }>();
  private pagesVersion = -1;

  constructor(private db: Db) {}

  /** track_place holds the order of library_version's current value (shared by every user of the connection). */
  private current(): number {
    if (!this.made) {
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS track_place (id INTEGER PRIMARY KEY, place INTEGER NOT NULL);
        CREATE TEMP TABLE IF NOT EXISTS track_place_version (n INTEGER NOT NULL)`);
      this.made = true;
    }
    const v = this.db.prepare('SELECT n FROM library_version').pluck().get() as number;
    if (this.db.prepare('SELECT n FROM temp.track_place_version').pluck().get() === v) return v;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM temp.track_place; DELETE FROM temp.track_place_version');
      this.db.exec(`INSERT INTO temp.track_place (id, place) SELECT t.id, row_number() OVER (ORDER BY ${TRACK_DEFAULT_ORDER}) FROM ${TRACK_ORDER_FROM}`);
      this.db.prepare('INSERT INTO temp.track_place_version (n) VALUES (?)').run(v);
    })();
    return v;
  }

  /** The page of tracks matching an FTS5 query, in the default order, and how many match. */
  page(fts: string, limit: number, offset: number): { ids: number[]; total: number } {
    const version = this.current();
    if (version !== this.pagesVersion) (this.pages.clear(), (this.pagesVersion = version));
    const key = `${limit} ${offset} ${fts}`;
    const kept = this.pages.get(key);
    if (kept) return (this.pages.delete(key), this.pages.set(key, kept), { ids: [...kept.ids], total: kept.total });
    const from = 'library_fts m JOIN temp.track_place p ON p.id = m.rowid WHERE library_fts MATCH ?';
    const total = this.db.prepare(`SELECT count(*) FROM ${from}`).pluck().get(fts) as number;
    const ids = total > offset ? (this.db.prepare(`SELECT p.id FROM ${from} ORDER BY p.place LIMIT ? OFFSET ?`).pluck().all(fts, limit, offset) as number[]) : [];
    this.pages.set(key, { ids, total });
    if (this.pages.size > KEPT_PAGES) this.pages.delete(this.pages.keys().next().value!);
    return { ids: [...ids], total };
  }
}
