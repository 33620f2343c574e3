// One ffmpeg process decoding one item (any input, from a position) to s16le 44.1 kHz stereo for a
// RAOP stream. `gen` ties it to the stream's current generation: a seek or pause bumps the
// stream's, and output of an older decoder is dropped. `next` marks a preloaded item's decoder.
import { spawn, type ChildProcess } from 'node:child_process';
import { ffmpegPcmArgs } from './pcm.js';

export interface Decoder<N = unknown> {
  readonly child: ChildProcess;
  gen: number;
  /** The tail of ffmpeg's stderr, for the error a failed item reports. */
  stderr: string;
  /** We stopped it (its exit code means nothing). */
  killed: boolean;
  next?: N;
}

export function startDecoder<N>(ffmpeg: string, url: string, at: number, gen: number, next?: N): Decoder<N> {
  const args = ffmpegPcmArgs(url, { startAt: at });
  // Reconnect on dropped HTTP connections (our media routes answer ranges).
  if (/^https?:/i.test(url)) args.splice(args.indexOf('-i'), 0, '-reconnect', '1', '-reconnect_streamed', '1');
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const d: Decoder<N> = { child, gen, stderr: '', killed: false, ...(next !== undefined ? { next } : {}) };
  child.stderr!.on('data', (b: Buffer) => (d.stderr = (d.stderr + b.toString()).slice(-2000)));
  child.on('error', (e) => (d.stderr += e.message));
  return d;
}

export function stopDecoder(d: Decoder | undefined): void {
  if (d && d.child.exitCode === null && d.child.signalCode === null) {
    d.killed = true;
    d.child.kill('SIGTERM');
  }
}

export function exitCode(d: Decoder): Promise<number | null> {
  if (d.child.exitCode !== null || d.child.signalCode !== null) return Promise.resolve(d.child.exitCode);
  return new Promise((r) => d.child.once('exit', (c) => r(c)));
}

/** The reason a decoder that gave no audio failed: ffmpeg's last stderr line. */
export function failure(d: Decoder, code: number | null): string {
  return d.stderr.trim().split('\n').pop() || `ffmpeg exited with ${code}`;
}
