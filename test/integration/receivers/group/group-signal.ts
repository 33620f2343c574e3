// The signal the group tests play and how its outputs are read. Left: 50 ms 1 kHz beeps every
// 0.5 s (at 0.25 s, 0.75 s, …), sharp onsets after silence that place each output in time
// (airplay/schedule.ts). Right: a quiet rising sweep, never silent and never the same twice, so
// an output can be aligned to the source at any frame and a gap or a skip shows as a change of
// alignment.
import { LOUD, ncc } from '../airplay/pcm-compare.js';
import type { StampedOutput } from '../airplay/schedule.js';

export const RATE = 44100;
export const BEEP_PERIOD = RATE / 2;
/**
 * The beeps track (lavfi) of `seconds`. The sweep rises `riseHzPerS` (40 Hz a second: past 8 kHz
 * after 200 s, above what our Opus keeps, so a Cast output's beeps are no longer identified; a
 * longer run rises slower): `sweepPeriodS` starts it again from 100 Hz every so many seconds
 * (unique still within any shorter window of the source).
 */
export const beepsAndSweep = (seconds: number, sweepPeriodS?: number, riseHzPerS = 40): string => {
  const u = sweepPeriodS ? `mod(t\\,${sweepPeriodS})` : 't';
  return `aevalsrc=0.5*sin(2*PI*1000*t)*between(mod(t\\,0.5)\\,0.25\\,0.3)|0.3*sin(2*PI*(100*${u}+${riseHzPerS / 2}*${u}*${u})):s=${RATE}:d=${seconds}`;
};

/**
 * Output frames where a beep starts (left channel over 1000 after ≥ 0.05 s of quiet), from `from`
 * on. Quiet must be the source's (the sweep goes on): sound right after a speaker's silent lead-in
 * may be the middle of a beep.
 */
export function beepOnsets(s: Int16Array, from = 0): number[] {
  const out: number[] = [];
  let quiet = 0;
  let silent = 0;
  /** Frames since the last silence on both channels (a lead-in, a speaker's muted start). */
  let sounding = 0;
  for (let f = from; f < s.length / 2; f++) {
    silent = Math.abs(s[2 * f]!) <= LOUD && Math.abs(s[2 * f + 1]!) <= LOUD ? silent + 1 : 0;
    sounding = silent >= 32 ? 0 : sounding + 1;
    if (Math.abs(s[2 * f]!) > 1000) {
      if (quiet >= 2205 && sounding >= 2205) out.push(f);
      quiet = 0;
    } else quiet++;
  }
  return out;
}

/** Source frame of beep `k`. */
export const sourceBeep = (k: number): number => Math.round(0.25 * RATE) + k * BEEP_PERIOD;

/**
 * Which beep of the source an output onset is: the one whose sweep (both channels, 4096 frames
 * from the onset) matches best. Returns the lag (output frame − source frame) and the match.
 * The source's beep may start a frame off its nominal place (aevalsrc's mod(t, 0.5) rounds
 * either way at some t), which past ~80 s, where the sweep is above 3 kHz, costs a one-frame
 * comparison 5 % of its match: the best beep is refined over ±2 frames.
 */
export function identify(out: Int16Array, onset: number, src: Int16Array): { beep: number; lag: number; ncc: number } {
  let best = { beep: -1, lag: 0, ncc: -2 };
  for (let k = 0; sourceBeep(k) < src.length / 2; k++) {
    const c = ncc(out, onset, src, sourceBeep(k), 4096);
    if (c > best.ncc) best = { beep: k, lag: onset - sourceBeep(k), ncc: c };
  }
  const at = sourceBeep(best.beep);
  for (let d = -2; d <= 2 && best.beep >= 0; d++) {
    if (!d || at + d < 0) continue;
    const c = ncc(out, onset, src, at + d, 4096);
    if (c > best.ncc) best = { beep: best.beep, lag: onset - at - d, ncc: c };
  }
  return best;
}

/**
 * Frames of `out` in [from, to) that do not play the source at one fixed lag: windows of 1024
 * frames every 1024 whose match with the source at that lag is below 0.98. Empty: the output
 * is the source without a gap, a skip or a click.
 */
export function breaks(out: Int16Array, src: Int16Array, lag: number, from: number, to: number): number[] {
  const bad: number[] = [];
  for (let f = from; f + 1024 <= to; f += 1024) if (ncc(out, f, src, f - lag, 1024) < 0.98) bad.push(f);
  return bad;
}

/** When output frame `frame` plays (performance.now() ms), from the reads around it within its session. */
export function playsAt(o: StampedOutput, frame: number, sessionStart: number, sessionEnd = o.frames): number {
  return o.msOfFrame(frame, Math.max(sessionStart, frame - 3 * RATE), Math.min(sessionEnd, frame + 3 * RATE));
}

/**
 * Where a new session's audio starts in an output, after frame `from`: after its lead-in of
 * silence (below LOUD on both channels: the source is never that quiet for 0.1 s).
 */
export function afterLeadIn(s: Int16Array, from: number): number | undefined {
  let quiet = 0;
  for (let f = from; f < s.length / 2; f++) {
    if (Math.abs(s[2 * f]!) <= LOUD && Math.abs(s[2 * f + 1]!) <= LOUD) quiet++;
    else if (quiet >= RATE / 10) return f;
    else quiet = 0;
  }
  return undefined;
}
