// Walks a library folder and yields every file the library takes, with size and mtime.
// Hidden entries are skipped; symlinks are followed only while they stay inside the root
// (what is outside the library is never scanned, so never served); directory loops end.
// Given what the last scan saw (`known`), a folder whose mtime has not changed is not read
// again, as minidlna's rescan does: its subfolders are taken from the database and its files are
// not listed (the scanner keeps their rows as they are). Adding,
// removing or renaming an entry changes a folder's mtime; rewriting a file in place does not
// (the watcher and the deep pass, which passes no `known`, find those).
import { statSync } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { LibraryKind } from '../config/schema.js';
import { classify, isPlaylistFile, type MediaKind } from './classify.js';

export interface WalkEntry {
  path: string;
  rel: string;
  kind: MediaKind;
  mime: string;
  size: number;
  mtimeMs: number;
  /** Listed but not readable by name (a name that is not UTF-8, a path past PATH_MAX): recorded
   *  with this reason, never probed. Size and mtime are 0 then, so a rescan leaves the row be. */
  error?: string;
}

/** A folder as read by a walk: what `known` gives the next one. */
export interface FolderRecord {
  path: string;
  parent: string | null;
  /** mtime in ns; '-1' when it must be read again next time (unreadable, or changed too recently to trust). */
  mtime: string;
}

/** What the previous scan saw, for skipping folders that have not changed since. */
export interface KnownTree {
  mtime(dir: string): string | undefined;
  subfolders(dir: string): string[];
}

export interface WalkResult {
  /** The files of the folders read (all of them without `known`). */
  entries: WalkEntry[];
  folders: FolderRecord[];
  /** Folders not read again (mtime unchanged). */
  skipped: number;
  /** Folders read (or tried: an unreadable one lists nothing), whose files are in `entries`. */
  read: string[];
}

/** A folder's mtime within this of now may change again within the clock's granularity without
 *  its mtime moving (git's "racy" entries): not trusted, read again next time. */
const RACY_MS = 2000;

export interface WalkIssue {
  path: string;
  reason: string;
}

const walkConcurrency = 8;
const SLICE_MS = 10;
/** Linux's PATH_MAX, terminating NUL included: a longer path cannot be opened by name. */
const PATH_MAX = 4096;
const DEFAULT_KIND: Record<LibraryKind, MediaKind> = { music: 'audio', video: 'video', photo: 'photo', mixed: 'audio' };

export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Walks `start` (the root, or a folder inside it after a watch event); `rel` stays relative to the root.
 *  Playlist files (.m3u, .m3u8, .pls) it meets in the folders it reads go into `playlists`, when given
 *  (those in folders skipped as unchanged are not listed: the importer checks the ones it knows). */
export async function walkLibrary(root: string, library: LibraryKind, onIssue: (i: WalkIssue) => void = () => {}, start = root, known?: KnownTree, playlists?: string[]): Promise<WalkResult> {
  const realRoot = await realpath(root);
  const rootSt = await stat(realRoot, { bigint: true });
  const seen = new Set<string>([`${rootSt.dev}:${rootSt.ino}`]);
  const out: WalkEntry[] = [];
  const folders: FolderRecord[] = [];
  const read: string[] = [];
  let skipped = 0;
  // A folder's stat runs in this thread, in slices of at most SLICE_MS between turns of the event
  // loop (HTTP waits no longer): three times cheaper than through libuv's pool, and a rescan of an
  // unchanged library is nearly all folder stats.
  let sliceStart = performance.now();
  const folderStat = async (dir: string) => {
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    try {
      return statSync(dir, { bigint: true, throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };

  async function visit(dir: string): Promise<void> {
    const parent = dir === root ? null : dirname(dir);
    // Stat before reading: a change during the read moves the mtime past the one recorded.
    const st = await folderStat(dir);
    // Loops and folders met twice (through a symlink) end here: a folder is known by its device and
    // inode (stat follows links), which costs no call beyond the stat a rescan needs anyway.
    // A subfolder gone since it was listed is left out, as one never listed.
    if (!st && dir !== start) return;
    if (st) {
      const id = `${st.dev}:${st.ino}`;
      if (dir !== start && seen.has(id)) return;
      seen.add(id);
    }
    const mtime = st ? String(st.mtimeNs) : '-1';
    if (st && known?.mtime(dir) === mtime) {
      skipped++;
      folders.push({ path: dir, parent, mtime });
      queue.push(...known.subfolders(dir));
      return;
    }
    read.push(dir);
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: 256 });
    } catch (err) {
      folders.push({ path: dir, parent, mtime: '-1' });
      onIssue({ path: dir, reason: `cannot read folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
      return;
    }
    folders.push({ path: dir, parent, mtime: st && Date.now() - Number(st.mtimeMs) > RACY_MS ? mtime : '-1' });
    const subdirs: string[] = [];
    const files: string[] = [];
    for await (const d of handle) {
      if (d.name.startsWith('.')) continue;
      const path = join(dir, d.name);
      // Node decodes names as UTF-8, putting U+FFFD for bytes that are not: such a name no longer
      // opens. Said so, not left out without a word.
      const unreadable = Buffer.byteLength(path) >= PATH_MAX
        ? `path longer than PATH_MAX (${PATH_MAX} bytes): ${d.isDirectory() ? 'folder not scanned' : 'not scanned'}`
        : d.name.includes('\uFFFD') && (await lstat(path).then(() => false, () => true))
          ? `${d.isDirectory() ? 'folder' : 'file'} name is not valid UTF-8: ${d.isDirectory() ? 'folder not scanned' : 'not scanned'} (rename it)`
          : undefined;
      if (unreadable) {
        if (d.isDirectory() || classify(d.name, library)) {
          const c = classify(d.name, library);
          out.push({ path, rel: relative(root, path), kind: c?.kind ?? DEFAULT_KIND[library], mime: c?.mime ?? 'application/octet-stream', size: 0, mtimeMs: 0, error: unreadable });
        }
        continue;
      }
      if (d.isDirectory()) subdirs.push(path);
      else if (d.isFile()) {
        if (classify(d.name, library)) files.push(path);
        else if (playlists && isPlaylistFile(d.name)) playlists.push(path);
      } else if (d.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(path);
        } catch {
          continue; // dangling link
        }
        if (!isInside(realRoot, target)) {
          onIssue({ path, reason: 'symlink points outside the library: skipped' });
          continue;
        }
        const st = await stat(target);
        if (st.isDirectory()) subdirs.push(path);
        else if (st.isFile() && classify(d.name, library)) files.push(path);
      }
    }
    await Promise.all(
      files.map(async (path) => {
        try {
          const st = await stat(path);
          const c = classify(path, library)!;
          out.push({ path, rel: relative(root, path), kind: c.kind, mime: c.mime, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
        } catch {
          /* vanished between readdir and stat */
        }
      }),
    );
    for (const sub of subdirs) queue.push(sub);
  }

  // Folders are read a few at a time: stat calls overlap in libuv's pool, which matters on
  // a rescan where the walk is nearly all the work.
  // Taken by index: shift() on an array of thousands of folders copies it each time.
  const queue: string[] = [start];
  let head = 0;
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (active < walkConcurrency && head < queue.length) {
        const dir = queue[head++]!;
        active++;
        void visit(dir).then(() => {
          active--;
          pump();
        }, reject);
      }
      if (active === 0 && head === queue.length) resolve();
    };
    pump();
  });
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries: out, folders, skipped, read };
}
