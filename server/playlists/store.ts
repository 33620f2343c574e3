// Playlists in SQLite (migration 7): rows and ordered entries, read and written. The rules (what
// may be changed, names, where items come from) are the service's; this only touches rows. What a
// user reads is theirs: the playlists they made and the imported ones of libraries they see, with
// only the entries of those libraries (a kids' account never meets an item outside its own).
import type { Db } from '../db/connection.js';
import type { PlaylistEntryRow, PlaylistProblem, PlaylistRow } from './types.js';

export type { PlaylistEntryRow, PlaylistProblem, PlaylistRow } from './types.js';

/** Who reads: an account (0: lan-open mode's everyone) and the libraries it sees (null: all). */
export interface Viewer {
  id: number;
  libraries: readonly string[] | null;
}

/** The named parameters of VISIBLE and ENTRY_SEEN. */
const bind = (v: Viewer) => ({ user: v.id, libs: v.libraries ? JSON.stringify(v.libraries) : null });
const IN_LIBS = '(@libs IS NULL OR %s IN (SELECT value FROM json_each(@libs)))';
/** Playlist `p` is the viewer's: made by them, or imported in a library they see. */
const VISIBLE = `(p.source_path IS NULL AND coalesce(p.owner_id, 0) = @user OR p.source_path IS NOT NULL AND ${IN_LIBS.replace('%s', 'p.library')})`;
/** Entry file `f` is in a library the viewer sees. */
const ENTRY_SEEN = IN_LIBS.replace('%s', 'f.library');

const listSelect = `SELECT p.id, p.name, p.owner_id, p.source_path, p.library, p.updated_at,
  (SELECT count(*) FROM playlist_entries e JOIN files f ON f.id = e.file_id WHERE e.playlist_id = p.id AND ${ENTRY_SEEN}) AS track_count,
  (SELECT coalesce(sum(coalesce(t.duration, v.duration)), 0) FROM playlist_entries e JOIN files f ON f.id = e.file_id LEFT JOIN tracks t ON t.id = e.file_id LEFT JOIN videos v ON v.id = e.file_id
    WHERE e.playlist_id = p.id AND ${ENTRY_SEEN}) AS duration
  FROM playlists p`;

export class PlaylistStore {
  constructor(private db: Db) {}

  private row(r: Record<string, unknown>, roots: Map<string, string>): PlaylistRow {
    const source = r.source_path as string | null;
    const root = source ? roots.get(r.library as string) : undefined;
    return {
      id: r.id as number, name: r.name as string, trackCount: r.track_count as number, duration: r.duration as number,
      imported: source !== null,
      source: source ? { library: r.library as string, path: root && source.startsWith(root) ? source.slice(root.length).replace(/^\/+/, '') : source } : null,
      ownerId: r.owner_id as number | null, updatedAt: r.updated_at as number,
    };
  }

  list(p: { limit: number; offset: number; q?: string | undefined }, roots: Map<string, string>, v: Viewer): { items: PlaylistRow[]; total: number } {
    const q = p.q?.trim().toLowerCase();
    const where = `WHERE ${VISIBLE}${q ? " AND lower(p.name) LIKE ? ESCAPE '\\'" : ''}`;
    const params = q ? [`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`] : [];
    const total = this.db.prepare(`SELECT count(*) FROM playlists p ${where}`).pluck().get(...params, bind(v)) as number;
    const rows = this.db.prepare(`${listSelect} ${where} ORDER BY p.name COLLATE NOCASE, p.id LIMIT ? OFFSET ?`).all(...params, p.limit, p.offset, bind(v)) as Record<string, unknown>[];
    return { items: rows.map((r) => this.row(r, roots)), total };
  }

  get(id: number, roots: Map<string, string>, v: Viewer): PlaylistRow | undefined {
    const r = this.db.prepare(`${listSelect} WHERE p.id = ? AND ${VISIBLE}`).get(id, bind(v)) as Record<string, unknown> | undefined;
    return r && this.row(r, roots);
  }

  /** The viewer's playlists of this name. */
  idsNamed(name: string, v: Viewer): number[] {
    return this.db.prepare(`SELECT id FROM playlists p WHERE name = ? COLLATE NOCASE AND ${VISIBLE} ORDER BY id`).pluck().all(name, bind(v)) as number[];
  }

  problems(id: number): PlaylistProblem[] {
    const text = this.db.prepare('SELECT problems FROM playlists WHERE id = ?').pluck().get(id) as string | undefined;
    return text ? (JSON.parse(text) as PlaylistProblem[]) : [];
  }

  entries(id: number, p: { limit: number; offset: number }, v: Viewer): { items: PlaylistEntryRow[]; total: number } {
    const total = this.db.prepare(`SELECT count(*) FROM playlist_entries e JOIN files f ON f.id = e.file_id WHERE playlist_id = ? AND ${ENTRY_SEEN}`).pluck().get(id, bind(v)) as number;
    const rows = this.db
      .prepare(`SELECT e.id AS entry_id, e.position, f.id, f.kind, coalesce(t.title, v.title, ph.title) AS title, ar.name AS artist, al.title AS album,
                  coalesce(t.duration, v.duration) AS duration, aw.hash AS art_hash
                FROM playlist_entries e JOIN files f ON f.id = e.file_id
                LEFT JOIN tracks t ON t.id = f.id LEFT JOIN videos v ON v.id = f.id LEFT JOIN photos ph ON ph.id = f.id
                LEFT JOIN artists ar ON ar.id = t.artist_id LEFT JOIN albums al ON al.id = t.album_id
                LEFT JOIN artwork aw ON aw.id = coalesce(t.art_id, al.art_id, v.art_id, ph.art_id)
                WHERE e.playlist_id = ? AND ${ENTRY_SEEN} ORDER BY e.position LIMIT ? OFFSET ?`)
      .all(id, p.limit, p.offset, bind(v)) as Record<string, unknown>[];
    return {
      total,
      items: rows.map((r) => ({
        entryId: r.entry_id as number, position: r.position as number, id: r.id as number, kind: r.kind as PlaylistEntryRow['kind'],
        title: (r.title as string | null) ?? '', artist: r.artist as string | null, album: r.album as string | null,
        duration: r.duration as number | null, artHash: r.art_hash as string | null,
      })),
    };
  }

  /** Item ids in playlist order (those the viewer sees). */
  itemIds(id: number, v: Viewer): number[] {
    return this.db.prepare(`SELECT file_id FROM playlist_entries e JOIN files f ON f.id = e.file_id WHERE playlist_id = ? AND ${ENTRY_SEEN} ORDER BY position`).pluck().all(id, bind(v)) as number[];
  }

  /** Absolute file paths in playlist order (for export; those the viewer sees). */
  paths(id: number, v: Viewer): { path: string; library: string; title: string | null; artist: string | null; duration: number | null }[] {
    return this.db
      .prepare(`SELECT f.path, f.library, coalesce(t.title, v.title) AS title, ar.name AS artist, coalesce(t.duration, v.duration) AS duration
                FROM playlist_entries e JOIN files f ON f.id = e.file_id LEFT JOIN tracks t ON t.id = f.id LEFT JOIN videos v ON v.id = f.id
                LEFT JOIN artists ar ON ar.id = t.artist_id WHERE e.playlist_id = ? AND ${ENTRY_SEEN} ORDER BY e.position`)
      .all(id, bind(v)) as ReturnType<PlaylistStore['paths']>;
  }

  /** `ownerId` 0 or null: lan-open mode's. */
  create(name: string, ownerId: number | null = null): number {
    const now = Date.now();
    return Number(this.db.prepare('INSERT INTO playlists (name, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, ownerId || null, now, now).lastInsertRowid);
  }

  rename(id: number, name: string): void {
    this.db.prepare('UPDATE playlists SET name = ?, updated_at = ? WHERE id = ?').run(name, Date.now(), id);
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM playlists WHERE id = ?').run(id);
  }

  /** Appends items (ids of library files) at the end. */
  append = (id: number, fileIds: number[]): void => {
    this.db.transaction(() => {
      const last = this.db.prepare('SELECT coalesce(max(position), -1) FROM playlist_entries WHERE playlist_id = ?').pluck().get(id) as number;
      const insert = this.db.prepare('INSERT INTO playlist_entries (playlist_id, file_id, position) VALUES (?, ?, ?)');
      fileIds.forEach((f, i) => insert.run(id, f, last + 1 + i));
      this.touch(id);
    })();
  };

  /** Entry ids in their order. */
  entryIds(id: number): number[] {
    return this.db.prepare('SELECT id FROM playlist_entries WHERE playlist_id = ? ORDER BY position').pluck().all(id) as number[];
  }

  /** Writes positions 0..n-1 in this order (entry ids of the playlist). */
  reorder = (id: number, entryIds: number[]): void => {
    this.db.transaction(() => {
      const set = this.db.prepare('UPDATE playlist_entries SET position = ? WHERE id = ? AND playlist_id = ?');
      entryIds.forEach((e, i) => set.run(i, e, id));
      this.touch(id);
    })();
  };

  removeEntry = (id: number, entryId: number): void => {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM playlist_entries WHERE id = ? AND playlist_id = ?').run(entryId, id);
      this.touch(id);
    })();
  };

  private touch(id: number): void {
    this.db.prepare('UPDATE playlists SET updated_at = ? WHERE id = ?').run(Date.now(), id);
  }

  // Imported playlists, by the file they came from.

  imported(library: string): { id: number; path: string; size: number; mtimeMs: number }[] {
    return this.db.prepare('SELECT id, source_path AS path, source_size AS size, source_mtime_ms AS mtimeMs FROM playlists WHERE library = ? AND source_path IS NOT NULL').all(library) as ReturnType<PlaylistStore['imported']>;
  }

  /** Creates or replaces the playlist imported from `path` (its id stays across re-imports). */
  saveImport = (i: { library: string; path: string; name: string; size: number; mtimeMs: number; fileIds: number[]; problems: PlaylistProblem[] }): number => {
    return this.db.transaction(() => {
      const now = Date.now();
      const existing = this.db.prepare('SELECT id FROM playlists WHERE source_path = ?').pluck().get(i.path) as number | undefined;
      const id = existing ?? Number(this.db.prepare('INSERT INTO playlists (name, source_path, library, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(i.name, i.path, i.library, now, now).lastInsertRowid);
      this.db.prepare('UPDATE playlists SET name = ?, library = ?, source_size = ?, source_mtime_ms = ?, problems = ?, updated_at = ? WHERE id = ?')
        .run(i.name, i.library, i.size, i.mtimeMs, JSON.stringify(i.problems), now, id);
      this.db.prepare('DELETE FROM playlist_entries WHERE playlist_id = ?').run(id);
      const insert = this.db.prepare('INSERT INTO playlist_entries (playlist_id, file_id, position) VALUES (?, ?, ?)');
      i.fileIds.forEach((f, n) => insert.run(id, f, n));
      return id;
    })();
  };

  /** Drops imported playlists of libraries not among these; answers how many went. */
  dropImportedOutside(libraries: string[]): number {
    return this.db.prepare(`DELETE FROM playlists WHERE source_path IS NOT NULL AND library NOT IN (${libraries.map(() => '?').join(',') || "''"})`).run(...libraries).changes;
  }

  /** Ids of library files at these absolute paths (readable ones only). */
  fileIdByPath(path: string): number | undefined {
    return this.db.prepare('SELECT id FROM files WHERE path = ? AND error IS NULL').pluck().get(path) as number | undefined;
  }

  /** Ids among these that are library items the viewer sees. */
  existingItems(ids: number[], v: Viewer): Set<number> {
    const found = new Set<number>();
    const one = this.db.prepare(`SELECT id FROM files f WHERE id = ? AND error IS NULL AND ${ENTRY_SEEN}`).pluck();
    const b = { libs: bind(v).libs };
    for (const id of ids) if (one.get(id, b) !== undefined) found.add(id);
    return found;
  }
}
