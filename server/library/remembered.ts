// What the server remembers of playing (resume position, watched, play count, last played) and the
// favourites, in the tables of migration 9. Rows carry a user id (null: lan-open mode's one
// listener); a Remembered made for a user (forUser) reads and writes that user's rows only, and
// shows only items of the libraries that user may see.
import type { Db } from '../db/connection.js';

/** Audio longer than this (an audiobook, a DJ set) is resumed like a video. */
export const LONG_AUDIO_S = 20 * 60;
/** Past this share of its length an item counts as watched (its position is cleared). */
export const WATCHED_SHARE = 0.9;
/** Nearer the start than this, there is nothing worth resuming. */
export const RESUME_MIN_S = 5;

export type FavouriteKind = 'track' | 'album' | 'video';

export interface PlayState {
  /** Seconds to resume from, or null. */
  resumePosition: number | null;
  watched: boolean;
  playCount: number;
  /** ms since epoch, or null: never played. */
  lastPlayed: number | null;
}

/** One item in a home row ("Continue watching", "Recently added", "Recently played") or the favourites. */
export interface RememberedItem extends PlayState {
  id: number;
  kind: 'audio' | 'video' | 'album';
  title: string;
  /** The artist (a track, an album) or the year (a film). */
  subtitle: string | null;
  duration: number | null;
  artHash: string | null;
  favourite: boolean;
}

/** Whether an item keeps a resume position: every video, and long audio. */
export function resumable(kind: string, duration: number | null): boolean {
  return kind === 'video' || (kind === 'audio' && duration !== null && duration > LONG_AUDIO_S);
}

const ITEM_COLUMNS = `f.id, f.kind, coalesce(v.title, t.title) AS title, coalesce(v.duration, t.duration) AS duration,
  CASE WHEN f.kind = 'video' THEN CAST(v.year AS TEXT) ELSE ar.name END AS subtitle, aw.hash AS art_hash,
  ps.position, coalesce(ps.watched, 0) AS watched, coalesce(ps.play_count, 0) AS play_count, ps.last_played`;
const itemJoins = (user: string) => `files f LEFT JOIN videos v ON v.id = f.id LEFT JOIN tracks t ON t.id = f.id
  LEFT JOIN artists ar ON ar.id = t.artist_id LEFT JOIN albums al ON al.id = t.album_id
  LEFT JOIN artwork aw ON aw.id = coalesce(v.art_id, t.art_id, al.art_id)
  LEFT JOIN play_state ps ON ps.item_id = f.id AND coalesce(ps.user_id, 0) = ${user}`;
const PLAYABLE = "f.error IS NULL AND f.kind IN ('audio', 'video')";
const IN_LIBRARIES = 'IN (SELECT value FROM json_each(?))';

/** Who the rows are for: an account (id 0: lan-open mode's everyone) and the libraries it sees (null: all). */
export interface Listener {
  id: number;
  libraries: readonly string[] | null;
}

export class Remembered {
  /** SQL for this user's id (a number, never text from outside: no injection). */
  private readonly user: string;

  private readonly userId: number | null;

  constructor(private db: Db, userId: number | null = null, private libraries: readonly string[] | null = null) {
    this.userId = userId || null;
    this.user = String(userId ?? 0);
  }

  /** This user's rows, within their libraries. */
  forUser(who: Listener): Remembered {
    return new Remembered(this.db, who.id, who.libraries);
  }

  /** SQL keeping `column` (a library name) to this user's libraries, with its parameters. */
  private within(column: string): [string, unknown[]] {
    return this.libraries ? [`${column} ${IN_LIBRARIES}`, [JSON.stringify(this.libraries)]] : ['1', []];
  }

  /** Whether an item (a file id) is in a library this user sees. */
  sees(itemId: number): boolean {
    const [w, p] = this.within('library');
    return this.db.prepare(`SELECT 1 FROM files WHERE id = ? AND ${w}`).get(itemId, ...p) !== undefined;
  }

  /** Where an item is: kept when it is resumable and past the start; past 90 % it is watched instead. */
  progress(itemId: number, kind: string, position: number, duration: number | null): void {
    if (!resumable(kind, duration)) return;
    if (duration !== null && position >= duration * WATCHED_SHARE) return this.finished(itemId, kind, duration);
    // Started over and left near the start: nothing to resume any more (an older position goes).
    if (position < RESUME_MIN_S) return void this.db.prepare(`UPDATE play_state SET position = NULL, updated_at = ? WHERE item_id = ? AND coalesce(user_id, 0) = ${this.user}`).run(Date.now(), itemId);
    this.upsert(itemId, 'position = ?, last_played = ?', [position, Date.now()], { position, last_played: Date.now() });
  }

  /** The item played to its end. */
  finished(itemId: number, kind: string, duration: number | null): void {
    if (!resumable(kind, duration)) return;
    this.upsert(itemId, 'position = NULL, watched = 1, last_played = ?', [Date.now()], { watched: 1, last_played: Date.now() });
  }

  /** A play began: one more play, played now. */
  played(itemId: number): void {
    this.upsert(itemId, 'play_count = play_count + 1, last_played = ?', [Date.now()], { play_count: 1, last_played: Date.now() });
  }

  private upsert(itemId: number, set: string, params: unknown[], insert: Record<string, number>): void {
    const now = Date.now();
    this.db.transaction(() => {
      const r = this.db.prepare(`UPDATE play_state SET ${set}, updated_at = ? WHERE item_id = ? AND coalesce(user_id, 0) = ${this.user}`).run(...params, now, itemId);
      if (r.changes > 0) return;
      // An item gone from the library (deleted since it began) has nothing to remember.
      if (!this.db.prepare('SELECT 1 FROM files WHERE id = ?').get(itemId)) return;
      const cols = Object.keys(insert);
      this.db
        .prepare(`INSERT INTO play_state (user_id, item_id, updated_at, ${cols.join(', ')}) VALUES (?, ?, ?, ${cols.map(() => '?').join(', ')})`)
        .run(this.userId, itemId, now, ...Object.values(insert));
    })();
  }

  /** Play states of these items (absent: never played). */
  states(ids: number[]): Map<number, PlayState> {
    const out = new Map<number, PlayState>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT item_id, position, watched, play_count, last_played FROM play_state WHERE coalesce(user_id, 0) = ${this.user} AND item_id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { item_id: number; position: number | null; watched: number; play_count: number; last_played: number | null }[];
    for (const r of rows) out.set(r.item_id, { resumePosition: r.position, watched: r.watched === 1, playCount: r.play_count, lastPlayed: r.last_played });
    return out;
  }

  /** Where a resumed play of the item starts (progress.ts's sink); null: from its start. */
  resumeAt(itemId: number): number | null {
    return this.state(itemId).resumePosition;
  }

  state(itemId: number): PlayState {
    return this.states([itemId]).get(itemId) ?? { resumePosition: null, watched: false, playCount: 0, lastPlayed: null };
  }

  /** Marks or unmarks a favourite; false when there is no such track, album or video. */
  setFavourite(kind: FavouriteKind, id: number, on: boolean): boolean {
    if (!this.exists(kind, id)) return false;
    if (on) {
      const had = this.db.prepare(`SELECT 1 FROM favourites WHERE coalesce(user_id, 0) = ${this.user} AND kind = ? AND ref_id = ?`).get(kind, id);
      if (!had) this.db.prepare('INSERT INTO favourites (user_id, kind, ref_id, created_at) VALUES (?, ?, ?, ?)').run(this.userId, kind, id, Date.now());
    } else this.db.prepare(`DELETE FROM favourites WHERE coalesce(user_id, 0) = ${this.user} AND kind = ? AND ref_id = ?`).run(kind, id);
    return true;
  }

  /** A track, album or video this user sees (an album: one of its tracks is in their libraries). */
  private exists(kind: FavouriteKind, id: number): boolean {
    const [w, p] = this.within('f.library');
    const sql = kind === 'album'
      ? `SELECT 1 FROM albums al WHERE al.id = ? AND EXISTS (SELECT 1 FROM tracks t JOIN files f ON f.id = t.id WHERE t.album_id = al.id AND ${w})`
      : `SELECT 1 FROM ${kind === 'track' ? 'tracks' : 'videos'} x JOIN files f ON f.id = x.id WHERE x.id = ? AND ${w}`;
    return this.db.prepare(sql).get(id, ...p) !== undefined;
  }

  /** Which of these ids are favourites of this kind. */
  favouriteIds(kind: FavouriteKind, ids: number[]): Set<number> {
    if (ids.length === 0) return new Set();
    const rows = this.db
      .prepare(`SELECT ref_id FROM favourites WHERE coalesce(user_id, 0) = ${this.user} AND kind = ? AND ref_id IN (${ids.map(() => '?').join(',')})`)
      .pluck()
      .all(kind, ...ids) as number[];
    return new Set(rows);
  }

  /** Started and not finished, the latest first. */
  continueWatching(limit: number): RememberedItem[] {
    return this.items(`${PLAYABLE} AND ps.position IS NOT NULL`, 'ps.last_played DESC', limit);
  }

  recentlyPlayed(limit: number): RememberedItem[] {
    return this.items(`${PLAYABLE} AND ps.last_played IS NOT NULL`, 'ps.last_played DESC', limit);
  }

  /** New files first (a file's id is given once, when the scanner first finds it). */
  recentlyAdded(limit: number, kind?: 'audio' | 'video'): RememberedItem[] {
    return this.items(kind ? `${PLAYABLE} AND f.kind = '${kind === 'audio' ? 'audio' : 'video'}'` : PLAYABLE, 'f.id DESC', limit);
  }

  /** Favourite tracks, albums and videos, the latest marked first. */
  favourites(limit: number): RememberedItem[] {
    const [w, p] = this.within('f.library');
    // Only those in the user's libraries (a favourite of a library taken from them stays, unseen).
    const marked = this.db
      .prepare(`SELECT kind, ref_id FROM favourites fv WHERE coalesce(user_id, 0) = ${this.user} AND (CASE WHEN kind = 'album'
                  THEN EXISTS (SELECT 1 FROM tracks t JOIN files f ON f.id = t.id WHERE t.album_id = fv.ref_id AND ${w})
                  ELSE EXISTS (SELECT 1 FROM files f WHERE f.id = fv.ref_id AND ${w}) END)
                ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(...p, ...p, limit) as { kind: FavouriteKind; ref_id: number }[];
    const fileIds = marked.filter((m) => m.kind !== 'album').map((m) => m.ref_id);
    const files = new Map(this.items(`f.id IN (${fileIds.map(() => '?').join(',') || 'NULL'})`, 'f.id', limit, fileIds).map((i) => [i.id, i]));
    const albumIds = marked.filter((m) => m.kind === 'album').map((m) => m.ref_id);
    const albums = new Map(this.albums(albumIds).map((a) => [a.id, a]));
    return marked.flatMap((m) => (m.kind === 'album' ? albums.get(m.ref_id) : files.get(m.ref_id)) ?? []);
  }

  private albums(ids: number[]): RememberedItem[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT al.id, al.title, ar.name AS artist, aw.hash AS art_hash, (SELECT sum(duration) FROM tracks WHERE album_id = al.id) AS duration
                FROM albums al JOIN artists ar ON ar.id = al.artist_id LEFT JOIN artwork aw ON aw.id = al.art_id WHERE al.id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { id: number; title: string; artist: string; art_hash: string | null; duration: number | null }[];
    return rows.map((r) => ({ id: r.id, kind: 'album', title: r.title, subtitle: r.artist, duration: r.duration, artHash: r.art_hash, favourite: true, resumePosition: null, watched: false, playCount: 0, lastPlayed: null }));
  }

  private items(where: string, order: string, limit: number, params: unknown[] = []): RememberedItem[] {
    const [w, p] = this.within('f.library');
    const rows = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM ${itemJoins(this.user)} WHERE ${where} AND ${w} ORDER BY ${order} LIMIT ?`).all(...params, ...p, limit) as Record<string, unknown>[];
    const favs = {
      audio: this.favouriteIds('track', rows.filter((r) => r.kind === 'audio').map((r) => r.id as number)),
      video: this.favouriteIds('video', rows.filter((r) => r.kind === 'video').map((r) => r.id as number)),
    };
    return rows.map((r) => ({
      id: r.id as number, kind: r.kind as 'audio' | 'video', title: r.title as string, subtitle: r.subtitle as string | null, duration: r.duration as number | null,
      artHash: r.art_hash as string | null, favourite: favs[r.kind as 'audio' | 'video']?.has(r.id as number) ?? false,
      resumePosition: r.position as number | null, watched: r.watched === 1, playCount: r.play_count as number, lastPlayed: r.last_played as number | null,
    }));
  }
}
