// The beeps an output played (group-signal.ts's signal), each identified in the source and placed
// in time from the output's stamped reads (airplay/schedule.ts): what the group tests compare
// across members (shairport-sync speakers, Sendspin players: both write in the same convention).
import type { StampedOutput } from '../airplay/schedule.js';
import { beepOnsets, breaks, identify, playsAt } from './group-signal.js';

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

/** The beeps `o` played in output frames [from, to) (one session), each identified in `src`. */
export function beepsIn(o: StampedOutput, src: Int16Array, from: number, to = o.frames): Beep[] {
  const s = o.samples(0, to);
  // A beep cut by the end of the output cannot be identified.
  return beepOnsets(s, from).filter((f) => f + 4096 <= to).map((frame) => {
    const id = identify(s, frame, src);
    if (id.ncc <= 0.95) throw new Error(`the onset at output frame ${frame} matches no beep of the source (best ${id.ncc.toFixed(3)})`);
    return { frame, beep: id.beep, lag: id.lag, from, to };
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
