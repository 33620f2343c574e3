// Drift of Chromecasts in a group (issue 17), in one network namespace: two shairport-sync 3.3.8
// speakers and two software Chromecasts played by Cast Streaming (the second with its clock 50 ppm
// fast and 20 ms of one-way jitter on its leg), by our group runner (group-runner.ts) on one server
// clock. The group plays the group tests' beeps (group-signal.ts) for `seconds`; the offsets of the
// same beeps between members over the first and the last 10 beeps (from 5 s after the last member's
// first sound: the Cast receivers' clock offset settles over their first Sender Reports,
// group-cast.test.ts), and their change.
// Reference in the same play: the two AirPlay speakers. Outputs are placed in time as group-sync.ts does.
import { createNetns } from '../helpers/netns.js';
import { makeSignals } from '../integration/receivers/airplay/speaker-fixture.js';
import { beepsAndSweep } from '../integration/receivers/group/group-signal.js';
import { beepTimes, framesOf, offset, sourceWindow, type Timed } from './group-sync.js';
import { firstLoudFrame, RATE } from './lib/airplay-speakers.js';
import { startGroupBed, type GroupBed, type Output } from './lib/group-members.js';
import type { Row } from './lib/table.js';

/** The Cast receivers' settling, left out of the first window. */
const SETTLE_S = 5;
const SKEW_PPM = 50;
const JITTER_MS = 20;

export async function benchGroupCastDrift(seconds: number, progress: (s: string) => void): Promise<Row[]> {
  const signals = makeSignals('homecast-bench-cast-drift-');
  // The sweep from 100 Hz again every 100 s (at most 4.1 kHz): Opus keeps it, so late beeps are identified too.
  const file = signals.flac('beeps.flac', beepsAndSweep(seconds + 6, 100));
  const ns = await createNetns();
  let bed: GroupBed | undefined;
  try {
    progress(`cast drift: 2 shairport-sync speakers, 2 software Chromecasts (one ${SKEW_PPM} ppm fast, ${JITTER_MS} ms jitter), ${seconds} s of beeps`);
    bed = await startGroupBed(ns, file, seconds + 6, 2, 0, [{}, { skewPpm: SKEW_PPM, jitterMs: JITTER_MS }]);
    const all = bed.outputs as [Output, Output, Output, Output];
    const from = framesOf(all);
    await bed.cmd(`group ${all.map((o) => o.id).join(',')}`);
    // The first window starts SETTLE_S after the last member's first sound (a Chromecast joins later:
    // LAUNCH, OFFER), at the same time on every output.
    await Promise.all(all.map((o, i) => o.until(() => o.out.frames >= from[i]! + (SETTLE_S + 30) * RATE, 120_000, `${SETTLE_S + 30} s of output from ${o.id}`)));
    const firstSound = all.map((o, i) => {
      const f = firstLoudFrame(o.out, from[i]!);
      if (f < 0) throw new Error(`${o.id}: no sound in its first ${SETTLE_S + 30} s`);
      return { f, ms: o.out.msOfFrame(f, f, f + 2 * RATE) };
    });
    const lastMs = Math.max(...firstSound.map((x) => x.ms));
    const startAt = firstSound.map((x) => x.f + Math.round(((lastMs - x.ms) / 1000 + SETTLE_S) * RATE));
    await Promise.all(all.map((o, i) => o.until(() => o.out.frames >= from[i]! + (seconds + 2) * RATE, (seconds + 60) * 1000, `${seconds} s of output from ${o.id}`)));
    await bed.cmd('stop');
    const head = sourceWindow(file, 0, SETTLE_S + 45);
    const tail = sourceWindow(file, seconds - 20, 26);
    const [r1, r2, c1, c2] = all.map((o, i) => ({
      first: beepTimes(o, startAt[i]!, startAt[i]! + 20 * RATE, head, false),
      // Not the last second: what a speaker writes as it is stopped is not the source.
      last: beepTimes(o, o.out.frames - 13 * RATE, o.out.frames - RATE, tail, true),
    })) as [{ first: Timed[]; last: Timed[] }, { first: Timed[]; last: Timed[] }, { first: Timed[]; last: Timed[] }, { first: Timed[]; last: Timed[] }];
    const pair = (a: typeof r1, b: typeof r1) => ({ start: offset(a.first, b.first), end: offset(a.last, b.last) });
    const aa = pair(r1, r2);
    const ca = pair(r1, c2);
    const cc = pair(c1, c2);
    const clean = pair(r1, c1);
    const run = seconds >= 120 ? `${seconds / 60} min` : `${seconds} s`;
    const said = (p: { start: number; end: number }) => `${p.start.toFixed(2)} ms at the start, ${p.end.toFixed(2)} ms after ${run}`;
    const drift = (p: { start: number; end: number }) => 1000 * Math.abs(p.end - p.start);
    const refName = 'AirPlay–AirPlay, same play';
    const knobs = `Cast C2 ${SKEW_PPM} ppm fast with ${JITTER_MS} ms one-way jitter`;
    // In µs: the table shows one decimal.
    return [
      { section: 'cast', metric: `drift over ${run}, Cast–AirPlay (${knobs})`, unit: 'µs', better: 'lower', ours: drift(ca), ref: drift(aa), refName,
        note: `change of the offset of the same beeps (median of 10) between the first (from ${SETTLE_S} s after the last member's first sound) and the last 10; C2 after speaker R1: ${said(ca)}; C1 (no knobs) after R1: ${said(clean)}; R2 after R1: ${said(aa)}${seconds < 600 ? '; run.js --long plays 10 min' : ''}` },
      { section: 'cast', metric: `drift over ${run}, Cast–Cast (${knobs})`, unit: 'µs', better: 'lower', ours: drift(cc), ref: drift(aa), refName,
        note: `C2 after C1: ${said(cc)}` },
      { section: 'cast', metric: `offset after ${run}, Cast–AirPlay (${knobs})`, unit: 'µs', better: 'lower', ours: 1000 * Math.abs(ca.end), ref: 1000 * Math.abs(aa.end), refName },
      { section: 'cast', metric: `offset after ${run}, Cast–Cast (${knobs})`, unit: 'µs', better: 'lower', ours: 1000 * Math.abs(cc.end), ref: 1000 * Math.abs(aa.end), refName },
    ];
  } finally {
    await bed?.close();
    await ns.close();
    signals.close();
  }
}
