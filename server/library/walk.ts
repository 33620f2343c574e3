// Walks a library folder and yields every file the library takes, with size and mtime.
// Hidden entries are skipped; symlinks are followed only while they stay inside the root
// (what is outside the library is never scanned, so never served); directory loops end.
import { opendir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { LibraryKind } from '../config/schema.js';
import { classify, type MediaKind } from './classify.js';

export interface WalkEntry {
  path: string;
  rel: string;
  kind: MediaKind;
  mime: string;
  size: number;
  mtimeMs: number;
}

export interface WalkIssue {
  path: string;
  reason: string;
}

const walkConcurrency = 8;

export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Walks `start` (the root, or a folder inside it after a watch event); `rel` stays relative to the root. */
export async function walkLibrary(root: string, library: LibraryKind, onIssue: (i: WalkIssue) => void = () => {}, start = root): Promise<WalkEntry[]> {
  const realRoot = await realpath(root);
  const seen = new Set<string>([realRoot]);
  const out: WalkEntry[] = [];

  async function visit(dir: string): Promise<void> {
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: 256 });
    } catch (err) {
      onIssue({ path: dir, reason: `cannot read folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
      return;
    }
    const subdirs: string[] = [];
    const files: string[] = [];
    for await (const d of handle) {
      if (d.name.startsWith('.')) continue;
      const path = join(dir, d.name);
      if (d.isDirectory()) subdirs.push(path);
      else if (d.isFile()) {
        if (classify(d.name, library)) files.push(path);
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
  const queue: string[] = [start];
  const loopsChecked = async (dir: string) => {
    if (dir === start) return true;
    const real = await realpath(dir).catch(() => undefined);
    if (!real || seen.has(real)) return false;
    seen.add(real);
    return true;
  };
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (active < walkConcurrency && queue.length) {
        const dir = queue.shift()!;
        active++;
        void loopsChecked(dir)
          .then((ok) => (ok ? visit(dir) : undefined))
          .then(() => {
            active--;
            pump();
          }, reject);
      }
      if (active === 0 && queue.length === 0) resolve();
    };
    pump();
  });
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}
