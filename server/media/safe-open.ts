// Opens a file only if it really lies inside a given root, whatever symlinks or `..` the path
// holds. We open first and then ask the kernel where the open descriptor points
// (/proc/self/fd/N), so a symlink swapped in between a check and the open cannot escape.
// Raw descriptors, not FileHandle: fs.createReadStream reads a plain fd fastest.
import { close, constants, fstat, open, type Stats } from 'node:fs';
import { readlink, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { promisify } from 'node:util';

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);

export type OpenResult = { ok: true; fd: number; stat: Stats; realPath: string } | { ok: false; status: 403 | 404; reason: string };

const hasProcFd = process.platform === 'linux';

export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

export async function openInside(path: string, root: string): Promise<OpenResult> {
  let rootReal: string;
  let fileReal: string;
  try {
    rootReal = await realpath(root);
    fileReal = await realpath(path);
  } catch (err) {
    return { ok: false, status: 404, reason: `not found (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!isInside(fileReal, rootReal)) return { ok: false, status: 403, reason: 'outside the library' };

  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO planted in the library must not hang us (no effect on files).
    fd = await openFd(fileReal, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, status: code === 'ENOENT' ? 404 : 403, reason: `cannot open (${code ?? 'error'})` };
  }
  let reason: string;
  try {
    const opened = hasProcFd ? await readlink(`/proc/self/fd/${fd}`) : fileReal;
    const stat = await fstatFd(fd);
    if (!isInside(opened, rootReal)) reason = 'outside the library';
    else if (!stat.isFile()) reason = 'not a regular file';
    else return { ok: true, fd, stat, realPath: opened };
  } catch (err) {
    reason = (err as Error).message;
  }
  await closeFd(fd).catch(() => {});
  return { ok: false, status: 403, reason };
}

export function closeQuietly(fd: number): void {
  close(fd, () => {});
}

/** A path another process (ffmpeg) can open to reach the very file behind our descriptor. */
export function fdPath(fd: number, realPath: string): string {
  return hasProcFd ? `/proc/${process.pid}/fd/${fd}` : realPath;
}
