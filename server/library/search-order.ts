// A plain search of the tracks (typed text and nothing else: what the remote sends while someone
// types) without sorting every match in SQL: a one-letter prefix matches the whole library, and
// joining and sorting 100,000 rows for the first 50 took ~300 ms. The tracks' places in the list's
// own order are kept here (one Int32Array, rebuilt when migration 12's counter says the tracks,
// albums or artists changed); the FTS5 matches are ranked by it and only the page's rows are read.
import type { Db } from '../db/connection.js';

/** The track list's order with no sort asked for (queries.ts uses the same). */
export const TRACK_DEFAULT_ORDER = 'aa.sort_name, al.year, al.title COLLATE NOCASE, coalesce(t.disc_no, 1), t.track_no, t.title COLLATE NOCASE, t.id';
export const TRACK_ORDER_FROM = 'tracks t JOIN files f ON f.id = t.id LEFT JOIN albums al ON al.id = t.album_id LEFT JOIN artists aa ON aa.id = al.artist_id';

export class TrackOrder {
  /** place[id]: 1 + the track's index in the default order; 0: not a track. */
  private place = new Int32Array(0);
  /** byPlace[i]: the id of the track at index i. */
  private byPlace = new Int32Array(0);
  private version = -1;

  constructor(private db: Db) {}

  private current(): void {
    const v = this.db.prepare('SELECT n FROM library_version').pluck().get() as number;
    if (v === this.version) return;
    const ids = this.db.prepare(`SELECT t.id FROM ${TRACK_ORDER_FROM} ORDER BY ${TRACK_DEFAULT_ORDER}`).pluck().all() as number[];
    const place = new Int32Array(ids.reduce((m, id) => Math.max(m, id), 0) + 1);
    ids.forEach((id, i) => (place[id] = i + 1));
    this.place = place;
    this.byPlace = Int32Array.from(ids);
    this.version = v;
  }

  /** The page of tracks matching an FTS5 query, in the default order, and how many match. */
  page(fts: string, limit: number, offset: number): { ids: number[]; total: number } {
    this.current();
    const matched = this.db.prepare('SELECT rowid FROM library_fts WHERE library_fts MATCH ?').pluck().all(fts) as number[];
    const places = new Int32Array(matched.length);
    let n = 0;
    for (const id of matched) {
      const p = id < this.place.length ? this.place[id]! : 0;
      if (p) places[n++] = p;
    }
    const mine = places.subarray(0, n).sort();
    return { ids: Array.from(mine.subarray(offset, offset + limit), (p) => this.byPlace[p - 1]!), total: n };
  }
}
