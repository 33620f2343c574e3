// Reads the part of an MP3 or FLAC file that holds its tags and stream header, in as few
// reads as possible. music-metadata's parseFile issues many small reads, each a round trip
// through libuv's thread pool: one read of the head and parseBuffer is over twice as fast.
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';

const first = 128 * 1024;
const slack = 64 * 1024;
const cap = 32 * 1024 * 1024;

/** Where a FLAC file's metadata blocks end (audio frames start), if the head shows it. */
export function flacAudioOffset(buf: Buffer): number | undefined {
  if (buf.length < 4 || buf.toString('latin1', 0, 4) !== 'fLaC') return undefined;
  for (let pos = 4; pos + 4 <= buf.length; ) {
    const last = buf[pos]! & 0x80;
    pos += 4 + buf.readUIntBE(pos + 1, 3);
    if (last) return pos;
  }
  return undefined;
}

/** How many bytes from the start the tags and first audio frames need, from what is read so far. */
function needed(buf: Buffer): number {
  if (buf.length >= 10 && buf.toString('latin1', 0, 3) === 'ID3') {
    // ID3v2 size: 4 synchsafe bytes; +10 header (+10 footer if flagged).
    const size = ((buf[6]! & 0x7f) << 21) | ((buf[7]! & 0x7f) << 14) | ((buf[8]! & 0x7f) << 7) | (buf[9]! & 0x7f);
    return 10 + size + (buf[5]! & 0x10 ? 10 : 0) + slack;
  }
  if (buf.length >= 4 && buf.toString('latin1', 0, 4) === 'fLaC') {
    let pos = 4;
    while (pos + 4 <= buf.length) {
      const last = buf[pos]! & 0x80;
      pos += 4 + buf.readUIntBE(pos + 1, 3);
      if (last) return pos + slack;
    }
    return pos + 4 + slack; // the next block header is past what we have: read on
  }
  return 0;
}

interface Reader {
  read(buf: Buffer, position: number): Promise<number> | number;
  close(): Promise<void> | void;
}

/**
 * In a probe worker, plain blocking reads: the worker has its own thread, and libuv's pool
 * (4 threads for the whole process) would otherwise be the bottleneck of a scan.
 * On the main thread, the async API, so HTTP is never held up by a slow disk.
 */
async function openReader(path: string): Promise<Reader> {
  if (!isMainThread) {
    const fd = openSync(path, 'r');
    return { read: (buf, position) => readSync(fd, buf, 0, buf.length, position), close: () => closeSync(fd) };
  }
  const fh = await open(path, 'r');
  return { read: async (buf, position) => (await fh.read(buf, 0, buf.length, position)).bytesRead, close: () => fh.close() };
}

export async function readHead(path: string, size: number): Promise<Buffer> {
  const fh = await openReader(path);
  try {
    let buf = Buffer.allocUnsafe(Math.min(size, first));
    let got = await fh.read(buf, 0);
    buf = buf.subarray(0, got);
    for (let want = needed(buf); want > got && got < size && got < cap; want = needed(buf)) {
      const more = Buffer.allocUnsafe(Math.min(size, cap, Math.max(want, got * 2)) - got);
      const n = await fh.read(more, got);
      if (n === 0) break;
      buf = Buffer.concat([buf, more.subarray(0, n)]);
      got += n;
    }
    return buf;
  } finally {
    await fh.close();
  }
}
