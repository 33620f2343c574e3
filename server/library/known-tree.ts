// What the last scan saw of a library's folders (migration 8's folders table) and files, for a
// walk that skips unchanged folders; and the write-back of what a walk read, once its files are in.
import { sep } from 'node:path';
import type { Db } from '../db/connection.js';
import type { MediaKind } from './classify.js';
import type { FolderRecord, KnownTree } from './walk.js';

export interface KnownFile {
  id: number;
  path: string;
  rel: string;
  kind: MediaKind;
  mime: string;
  size: number;
  mtime: number;
}

/** Rows under `scope` (a library root, or a folder or file inside it). */
const underScope = '(path = ? OR substr(path, 1, ?) = ?)';
const scopeParams = (scope: string) => [scope, scope.length + 1, scope.endsWith(sep) ? scope : scope + sep];

/** `whole`: the scope is the library root, so every row of the library (no per-row path test). */
export function knownFiles(db: Db, library: string, scope: string, whole: boolean): KnownFile[] {
  const cols = 'id, path, rel, kind, mime, size, mtime_ms AS mtime';
  return (whole
    ? db.prepare(`SELECT ${cols} FROM files WHERE library = ?`).all(library)
    : db.prepare(`SELECT ${cols} FROM files WHERE library = ? AND ${underScope}`).all(library, ...scopeParams(scope))) as KnownFile[];
}

export function knownFolders(db: Db, library: string, scope: string, whole: boolean): FolderRecord[] {
  return (whole
    ? db.prepare('SELECT path, parent, mtime FROM folders WHERE library = ?').all(library)
    : db.prepare(`SELECT path, parent, mtime FROM folders WHERE library = ? AND ${underScope}`).all(library, ...scopeParams(scope))) as FolderRecord[];
}

/** The folders only: a rescan reads file rows just for the folders it reads again (`knownFilesIn`),
 *  so an unchanged library costs one row per folder, not one per file. */
export function knownTree(folders: FolderRecord[]): KnownTree {
  const mtimes = new Map<string, string>();
  const children = new Map<string, string[]>();
  for (const f of folders) {
    mtimes.set(f.path, f.mtime);
    if (f.parent === null) continue;
    const list = children.get(f.parent);
    if (list) list.push(f.path);
    else children.set(f.parent, [f.path]);
  }
  return {
    mtime: (dir) => mtimes.get(dir),
    subfolders: (dir) => children.get(dir) ?? [],
  };
}

/** The rows a quick rescan must diff: the files directly in the folders it read again (`read`), and
 *  everything under the folders it no longer found (`gone`). Path ranges on the path index; `+library`
 *  keeps SQLite off the library index (which would visit every row of the library). */
export function knownFilesIn(db: Db, library: string, read: string[], gone: FolderRecord[]): KnownFile[] {
  const cols = 'id, path, rel, kind, mime, size, mtime_ms AS mtime';
  const under = 'path > ? AND path < ? AND +library = ?';
  const range = (dir: string) => {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    return [prefix, prefix.slice(0, -1) + String.fromCharCode(sep.charCodeAt(0) + 1), library];
  };
  // length() and substr() count characters on SQLite's side, so names outside the BMP stay right.
  const children = db.prepare(`SELECT ${cols} FROM files WHERE ${under} AND instr(substr(path, length(?) + 1), '${sep}') = 0`);
  const descendants = db.prepare(`SELECT ${cols} FROM files WHERE ${under}`);
  const goneSet = new Set(gone.map((f) => f.path));
  const out: KnownFile[] = [];
  for (const dir of read) {
    const r = range(dir);
    out.push(...(children.all(...r, r[0]) as KnownFile[]));
  }
  // A gone folder under a gone folder is covered by its parent's range.
  for (const f of gone) if (f.parent === null || !goneSet.has(f.parent)) out.push(...(descendants.all(...range(f.path)) as KnownFile[]));
  return out;
}

/** Folders recorded before (`before`) that a walk did not meet again. */
export function goneFolders(before: FolderRecord[], after: FolderRecord[]): FolderRecord[] {
  const met = new Set(after.map((f) => f.path));
  return before.filter((f) => !met.has(f.path));
}

/** Rows of a library now (a quick rescan does not hold every row to count them). */
export function fileCount(db: Db, library: string): number {
  return db.prepare('SELECT count(*) FROM files WHERE library = ?').pluck().get(library) as number;
}

/** Records the folders a walk read, forgetting those under its scope (`before`) it no longer found.
 *  Called only after the scan's files are written: a scan killed before leaves the old mtimes, so
 *  the next scan reads those folders again. */
export function saveFolders(db: Db, library: string, before: FolderRecord[], after: FolderRecord[]): void {
  const old = new Map(before.map((f) => [f.path, f]));
  const upsert = db.prepare('INSERT INTO folders (path, library, parent, mtime) VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET library = excluded.library, parent = excluded.parent, mtime = excluded.mtime');
  const remove = db.prepare('DELETE FROM folders WHERE path = ?');
  db.transaction(() => {
    for (const f of after) {
      const o = old.get(f.path);
      old.delete(f.path);
      if (!o || o.mtime !== f.mtime || o.parent !== f.parent) upsert.run(f.path, library, f.parent, f.mtime);
    }
    for (const gone of old.keys()) remove.run(gone);
  })();
}
