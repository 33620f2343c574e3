// Comparing what a speaker played with what we sent: s16le interleaved stereo as Int16Array.
import { spawnSync } from 'node:child_process';

/** A frame is "loud" when a channel exceeds this: dither of software volume stays at ±2 LSB. */
export const LOUD = 64;

export function lavfiPcm(graph: string): Int16Array {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', graph, '-f', 's16le', '-ar', '44100', '-ac', '2', 'pipe:1'], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`ffmpeg ${graph}: ${r.stderr.toString()}`);
  const b = r.stdout;
  return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

const loud = (p: Int16Array, f: number): boolean => Math.abs(p[2 * f]!) > LOUD || Math.abs(p[2 * f + 1]!) > LOUD;

export function firstLoud(p: Int16Array, from = 0): number {
  for (let f = from; f < p.length / 2; f++) if (loud(p, f)) return f;
  return -1;
}

export function countLoud(p: Int16Array, from = 0): number {
  let n = 0;
  for (let f = from; f < p.length / 2; f++) if (loud(p, f)) n++;
  return n;
}

export function lastLoud(p: Int16Array): number {
  for (let f = p.length / 2 - 1; f >= 0; f--) if (loud(p, f)) return f;
  return -1;
}

/** Normalised cross-correlation of `n` frames (both channels) of a from `ai` and b from `bi`. */
export function ncc(a: Int16Array, ai: number, b: Int16Array, bi: number, n: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < 2 * n; i++) {
    const x = a[2 * ai + i] ?? 0;
    const y = b[2 * bi + i] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa && bb ? ab / Math.sqrt(aa * bb) : 0;
}

/** The source frame that output frame `at` plays: the lag (0 … maxLag) best matching `n` frames. */
export function alignTo(out: Int16Array, at: number, src: Int16Array, maxLag: number, n = 4096): { lag: number; ncc: number } {
  let best = { lag: -1, ncc: -2 };
  for (let lag = 0; lag <= maxLag; lag++) {
    const c = ncc(out, at, src, lag, n);
    if (c > best.ncc) best = { lag, ncc: c };
  }
  return best;
}

/** Runs of at least `minRun` frames of digital silence between frames `from` and `to`. */
export function silentRuns(p: Int16Array, from: number, to: number, minRun: number): { at: number; frames: number }[] {
  const runs: { at: number; frames: number }[] = [];
  let start = -1;
  for (let f = from; f <= to; f++) {
    const zero = f < to && p[2 * f] === 0 && p[2 * f + 1] === 0;
    if (zero && start < 0) start = f;
    if (!zero && start >= 0) {
      if (f - start >= minRun) runs.push({ at: start, frames: f - start });
      start = -1;
    }
  }
  return runs;
}

export function rms(p: Int16Array, from: number, frames: number): number {
  let s = 0;
  for (let i = 2 * from; i < 2 * (from + frames); i++) s += (p[i] ?? 0) ** 2;
  return Math.sqrt(s / (2 * frames));
}

/** Samples that differ between `n` frames of a (from `ai`) and b (from `bi`). */
export function differences(a: Int16Array, ai: number, b: Int16Array, bi: number, n: number): number {
  let d = 0;
  for (let i = 0; i < 2 * n; i++) if (a[2 * ai + i] !== b[2 * bi + i]) d++;
  return d;
}
