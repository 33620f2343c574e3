// The beeps an output played (group-signal.ts's signal), each identified in the source and placed
// in time from the output's stamped reads (airplay/schedule.ts): what the group tests compare
// across members (shairport-sync speakers, Sendspin players: both write in the same convention).
import { silentRuns } from '../airplay/pcm-compare.js';
import type { StampedOutput } from '../airplay/schedule.js';
import { beepOnsets, breaks, identify, playsAt } from './group-signal.js';

/** With SHOW_OFFSETS set, prints the figures a run measured (for the README and notes). */
export function showOffsets(what: string, xs: number[], unit = 'ms', digits = 2): void {
  if (process.env.SHOW_OFFSETS) process.stdout.write(`${what} (${unit}, n=${xs.length}): ${xs.map((x) => x.toFixed(digits)).join(' ')}\n`);
}

export interface Beep {
  /** Output frame of its onset, and the source beep it is. */
  frame: number;
  beep: number;
  /** Output frame − source frame. */
  lag: number;
  /** Output frames of the session that played it (reads outside are of other sessions). */
  from: number;
  to: number;
}

/**
 * The beeps `o` played in output frames [from, to) (one session), each identified in `src`. An
 * onset that matches no beep is an error, or left out when `skipUnknown` (a speaker moving its
 * output mid-beep when its delay changes).
 */
export function beepsIn(o: StampedOutput, src: Int16Array, from: number, to = o.frames, skipUnknown = false): Beep[] {
  const s = o.samples(0, to);
  // A beep cut by the end of the output cannot be identified.
  return beepOnsets(s, from).filter((f) => f + 4096 <= to).flatMap((frame) => {
    const id = identify(s, frame, src);
    if (id.ncc > 0.95) return [{ frame, beep: id.beep, lag: id.lag, from, to }];
    if (skipUnknown) return [];
    throw new Error(`the onset at output frame ${frame} matches no beep of the source (best ${id.ncc.toFixed(3)})`);
  });
}

/** When a beep played: from the reads of its session after the session's first beep (the lead-in is written early). */
export const heardAt = (o: StampedOutput, x: Beep, first: Beep): number => playsAt(o, x.frame, first.frame, x.to);

/** Offsets (ms) of output b's beeps after output a's same beeps. */
export function offsetsBetween(oa: StampedOutput, a: Beep[], ob: StampedOutput, b: Beep[]): number[] {
  const out: number[] = [];
  for (const y of b) {
    const x = a.find((z) => z.beep === y.beep);
    if (x) out.push(heardAt(ob, y, b[0]!) - heardAt(oa, x, a[0]!));
  }
  return out;
}

/**
 * Where `o` did not play the source without a gap from beep `first` to beep `last` of one session:
 * a change of lag between them, or windows that match the source at no fixed lag. Empty: no gap,
 * skip or click.
 */
export function gapsBetween(o: StampedOutput, src: Int16Array, first: Beep, last: Beep): string[] {
  if (last.lag !== first.lag) return [`lag ${first.lag} at beep ${first.beep}, ${last.lag} at beep ${last.beep}`];
  return breaks(o.samples(0, last.frame + 2048), src, first.lag, first.frame, last.frame + 1024).map((f) => `output frame ${f}`);
}

/** A frame a receiver never played leaves this much digital silence (a Cast Streaming frame is 20 ms). */
const HOLE_FRAMES = 441;
/** A receiver re-placing its output as its clock estimate moves (scheduled-output.ts) moves it by about 1 ms, not more. */
const RESYNC_FRAMES = 88;

/**
 * Where a Cast Streaming receiver's output (Opus, lossy: no sample-exact match with the source)
 * lost audio from beep `beeps[0]` to its last beep: digital silence of 10 ms or more (a frame
 * never played) or a move of the output by more than 2 ms between two beeps (a resync of more
 * than its clock estimate's creep). Empty: every frame played, in place.
 */
export function holesAndJumps(o: StampedOutput, beeps: Beep[]): string[] {
  const s = o.samples(0, beeps.at(-1)!.frame + 1);
  const holes = silentRuns(s, beeps[0]!.frame, beeps.at(-1)!.frame, HOLE_FRAMES).map((r) => `${r.frames} frames of silence at output frame ${r.at}`);
  const jumps = beeps.slice(1).filter((x, i) => Math.abs(x.lag - beeps[i]!.lag) > RESYNC_FRAMES).map((x) => `moved ${x.lag - beeps[beeps.indexOf(x) - 1]!.lag} frames before beep ${x.beep}`);
  return [...holes, ...jumps];
}

/**
 * Where output b's offset behind output a has settled after a change made while playing (a delay
 * given to a member moves it at its next sync packet, then through its output's lead): the index
 * of b's first beep from which two successive windows of `n` beeps, each placed in time from its
 * own reads only, measure offsets that all agree within `withinMs`. Undefined: not settled yet.
 * A window that straddles the move disagrees with itself or with the next.
 */
export function settledFrom(oa: StampedOutput, a: Beep[], ob: StampedOutput, b: Beep[], n = 4, withinMs = 0.5): number | undefined {
  const windowOffsets = (k: number): number[] | undefined => {
    const ys = b.slice(k, k + n);
    const xs = ys.map((y) => a.find((x) => x.beep === y.beep));
    if (ys.length < n || xs.some((x) => !x)) return undefined;
    // Reads from a window's first beep to where the next window starts (both outputs at the same beeps).
    const span = (first: Beep, last: Beep): [number, number] => [first.frame, Math.min(last.to, last.frame + (last.frame - first.frame) / (n - 1))];
    const [alo, ahi] = span(xs[0]!, xs.at(-1)!);
    const [blo, bhi] = span(ys[0]!, ys.at(-1)!);
    return ys.map((y, i) => ob.msOfFrame(y.frame, blo, bhi) - oa.msOfFrame(xs[i]!.frame, alo, ahi));
  };
  for (let k = 0; k + 2 * n <= b.length; k++) {
    const both = [...(windowOffsets(k) ?? [NaN]), ...(windowOffsets(k + n) ?? [NaN])];
    if (Math.max(...both) - Math.min(...both) <= withinMs) return k;
  }
  return undefined;
}
