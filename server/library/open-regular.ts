// Opens a file the scanner is about to probe, without ever blocking: O_NONBLOCK (a FIFO with no
// writer would hang open() for good, in a worker that then cannot be stopped), then fstat on the
// descriptor, so a FIFO, socket or device swapped in after the walk is refused here. The parsers
// and ffprobe then read that very descriptor through /proc, never the path again.
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { fdPath } from '../media/safe-open.js';

export type OpenedRegular =
  | { ok: true; /** What parsers and ffprobe open: the descriptor we checked. */ readPath: string; size: number; close(): Promise<void> }
  | { ok: false; /** The file is no longer there (deleted or renamed mid-scan). */ gone: boolean; error: string };

function typeOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a folder';
  return 'not a file';
}

export async function openRegular(path: string): Promise<OpenedRegular> {
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, gone: code === 'ENOENT' || code === 'ENOTDIR', error: `cannot open (${code})` };
  }
  const st = await fh.stat().catch(() => undefined);
  if (!st?.isFile()) {
    await fh.close().catch(() => {});
    return { ok: false, gone: false, error: `not a regular file (${st ? typeOf(st) : 'unreadable'}): skipped` };
  }
  return { ok: true, readPath: fdPath(fh.fd, path), size: st.size, close: () => fh.close() };
}
