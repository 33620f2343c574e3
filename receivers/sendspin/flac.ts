// FLAC for Sendspin players that take no PCM: ffmpeg encodes the member's s16le stream with a fixed
// block size, and each FLAC frame becomes one audio chunk. The stream header ("fLaC" and its
// metadata blocks) is stream/start's codec_header; a frame's number says which samples it holds
// (fixed block size: frame n starts at sample n × blockSize), so its play time is exact.
// Frames are split at the next valid frame header (sync code, CRC-8, the expected frame number).
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

export const FLAC_BLOCK_SIZE = 4096;

export interface FlacEvents {
  /** ffmpeg has exited (after end(), close() or an error). */
  close: [];
  /** "fLaC" + metadata blocks, before any frame. */
  header: [Buffer];
  /** One encoded frame holding input samples [sample, sample + blockSize). */
  frame: [{ sample: number; data: Buffer }];
  error: [Error];
}

const CRC8 = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    t[i] = c;
  }
  return t;
})();

function crc8(buf: Buffer, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = CRC8[c ^ buf[i]!]!;
  return c;
}

/** Frame number of a valid frame header at `at`, or undefined (not a header, or cut short). */
export function frameNumberAt(buf: Buffer, at: number): number | undefined {
  if (at + 6 > buf.length || buf[at] !== 0xff || buf[at + 1] !== 0xf8) return undefined;
  const bsCode = buf[at + 2]! >> 4;
  const srCode = buf[at + 2]! & 0x0f;
  if (bsCode === 0 || srCode === 0x0f) return undefined;
  // UTF-8-like coded frame number (FLAC format, "FRAME_HEADER").
  let p = at + 4;
  const first = buf[p]!;
  let n: number;
  let extra: number;
  if (first < 0x80) [n, extra] = [first, 0];
  else if ((first & 0xe0) === 0xc0) [n, extra] = [first & 0x1f, 1];
  else if ((first & 0xf0) === 0xe0) [n, extra] = [first & 0x0f, 2];
  else if ((first & 0xf8) === 0xf0) [n, extra] = [first & 0x07, 3];
  else if ((first & 0xfc) === 0xf8) [n, extra] = [first & 0x03, 4];
  else if ((first & 0xfe) === 0xfc) [n, extra] = [first & 0x01, 5];
  else return undefined;
  p++;
  for (let i = 0; i < extra; i++, p++) {
    if (p >= buf.length || (buf[p]! & 0xc0) !== 0x80) return undefined;
    n = n * 64 + (buf[p]! & 0x3f);
  }
  if (bsCode === 6) p += 1;
  else if (bsCode === 7) p += 2;
  if (srCode === 12) p += 1;
  else if (srCode === 13 || srCode === 14) p += 2;
  if (p >= buf.length) return undefined;
  return crc8(buf, at, p) === buf[p] ? n : undefined;
}

/** Length of "fLaC" + metadata blocks at the start of `buf`, or undefined until all are there. */
function headerLength(buf: Buffer): number | undefined {
  if (buf.length < 4) return undefined;
  if (buf.subarray(0, 4).toString('latin1') !== 'fLaC') throw new Error('ffmpeg wrote no FLAC stream header');
  let p = 4;
  for (;;) {
    if (p + 4 > buf.length) return undefined;
    const last = (buf[p]! & 0x80) !== 0;
    p += 4 + buf.readUIntBE(p + 1, 3);
    if (p > buf.length) return undefined;
    if (last) return p;
  }
}

export class FlacEncoder extends EventEmitter<FlacEvents> {
  private readonly ffmpeg: ChildProcess;
  private pending: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private next = 0;
  private closed = false;
  /** end() was called: the encoder flushes its last (short) frame and exits. */
  ended = false;

  constructor(readonly blockSize = FLAC_BLOCK_SIZE) {
    super();
    this.ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', '44100', '-ac', '2', '-i', 'pipe:0', '-c:a', 'flac', '-frame_size', String(blockSize), '-flush_packets', '1', '-f', 'flac', 'pipe:1'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    this.ffmpeg.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    this.ffmpeg.stdin!.on('error', () => {});
    this.ffmpeg.on('error', (err) => this.fail(new Error(`ffmpeg for FLAC: ${err.message}`)));
    this.ffmpeg.on('exit', (code) => {
      if (!this.closed && code !== 0) this.fail(new Error(`ffmpeg for FLAC exited with ${code}: ${stderr.trim()}`));
    });
    this.ffmpeg.on('close', () => this.emit('close'));
    this.ffmpeg.stdout!.on('data', (d: Buffer) => this.onData(d));
    this.ffmpeg.stdout!.on('end', () => this.onEnd());
  }

  /** No more input: the last frame (shorter than a block) comes out and the encoder exits. */
  end(): void {
    if (this.closed || this.ended) return;
    this.ended = true;
    this.ffmpeg.stdin!.end();
  }

  write(pcm: Buffer): void {
    if (!this.closed) this.ffmpeg.stdin!.write(pcm);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ffmpeg.kill('SIGKILL');
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.close();
    this.emit('error', err);
  }

  private onEnd(): void {
    if (this.closed || !this.headerDone || !this.pending.length) return;
    if (frameNumberAt(this.pending, 0) === this.next) this.emit('frame', { sample: this.next * this.blockSize, data: Buffer.from(this.pending) });
    this.pending = Buffer.alloc(0);
  }

  private onData(d: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, d]) : d;
    try {
      if (!this.headerDone) {
        const len = headerLength(this.pending);
        if (len === undefined) return;
        this.emit('header', Buffer.from(this.pending.subarray(0, len)));
        this.pending = this.pending.subarray(len);
        this.headerDone = true;
      }
    } catch (err) {
      return this.fail(err as Error);
    }
    // A frame is complete when the next one's header is there.
    for (;;) {
      if (frameNumberAt(this.pending, 0) !== this.next) {
        if (this.pending.length >= 16) this.fail(new Error(`FLAC frame ${this.next} not where expected`));
        return;
      }
      let end = -1;
      for (let i = 2; i + 1 < this.pending.length; i++) {
        if (this.pending[i] === 0xff && this.pending[i + 1] === 0xf8 && frameNumberAt(this.pending, i) === this.next + 1) {
          end = i;
          break;
        }
      }
      if (end < 0) return;
      this.emit('frame', { sample: this.next * this.blockSize, data: Buffer.from(this.pending.subarray(0, end)) });
      this.pending = this.pending.subarray(end);
      this.next++;
    }
  }
}
