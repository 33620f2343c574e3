// What the last scan saw of a library's folders (migration 8's folders table) and files, for a
// walk that skips unchanged folders; and the write-back of what a walk read, once its files are in.
import { dirname, sep } from 'node:path';
import type { Db } from '../db/connection.js';
import type { MediaKind } from './classify.js';
import type { FolderRecord, KnownTree, WalkEntry } from './walk.js';

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

export function knownTree(folders: FolderRecord[], files: KnownFile[]): KnownTree {
  const mtimes = new Map<string, string>();
  const children = new Map<string, string[]>();
  for (const f of folders) {
    mtimes.set(f.path, f.mtime);
    if (f.parent === null) continue;
    const list = children.get(f.parent);
    if (list) list.push(f.path);
    else children.set(f.parent, [f.path]);
  }
  const filesByDir = new Map<string, WalkEntry[]>();
  for (const f of files) {
    const dir = dirname(f.path);
    let list = filesByDir.get(dir);
    if (!list) filesByDir.set(dir, (list = []));
    list.push({ path: f.path, rel: f.rel, kind: f.kind, mime: f.mime, size: f.size, mtimeMs: f.mtime });
  }
  return {
    mtime: (dir) => mtimes.get(dir),
    subfolders: (dir) => children.get(dir) ?? [],
    files: (dir) => filesByDir.get(dir) ?? [],
  };
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
