// Groups across kinds, in one network namespace: two shairport-sync 3.3.8 speakers and two of our
// software Sendspin players, played by our group receiver (group-runner.ts) on one server clock.
// Every output is placed in time from its stamped reads (schedule.ts), so all figures are on the
// bench's own clock (CLOCK_MONOTONIC, as the runner's play call).
// - Time to first sound: the group command → the first non-silent frame of its last member to
//   sound, for a 4-member group (2 + 2) vs one speaker alone played by our AirPlay driver, median
//   of 3 each, interleaved. Both include shairport-sync's muting of a session's first 9 packets
//   and the 2 s latency every member plays at.
// - Join latency: a member added to a playing group → its first non-silent frame.
// - Drift: the group plays the group tests' beeps (group-signal.ts) for `minutes`; the offsets of
//   the same beeps between members over the first and the last 10 beeps, and their change.
import { createNetns } from '../helpers/netns.js';
import { ffmpeg, makeSignals, samples } from '../integration/receivers/airplay/speaker-fixture.js';
import { beepOnsets, beepsAndSweep, identify, playsAt } from '../integration/receivers/group/group-signal.js';
import { median } from '../helpers/stats.js';
import { RATE } from './lib/airplay-speakers.js';
import { firstSoundAt, startGroupBed, type GroupBed, type Output } from './lib/group-members.js';
import type { Row } from './lib/table.js';

const ROUNDS = 3;
export const BEEPS = 10;

/** Every listed output's first sound after the frames it had at `from`; performance.now() ms each. */
const firstSounds = (outs: Output[], from: number[]): Promise<number[]> => Promise.all(outs.map((o, i) => firstSoundAt(o, from[i]!)));
export const framesOf = (outs: Output[]): number[] => outs.map((o) => o.out.frames);

/** Stops what plays and waits until the Sendspin players have played out what they hold. */
async function stop(bed: GroupBed): Promise<void> {
  const marks = bed.players.map((p) => p.events.lines.length);
  await bed.cmd('stop');
  await Promise.all(bed.players.map((p, i) => p.events.waitFor((l) => l.event === 'drained', 10_000, marks[i]).catch(() => undefined)));
}

export interface Timed {
  beep: number;
  atMs: number;
}

/** A stretch of the source: its samples and the index of its first beep (it starts on a beep period). */
export interface SourceWindow {
  pcm: Int16Array;
  firstBeep: number;
}

export function sourceWindow(file: string, fromS: number, seconds: number): SourceWindow {
  // atrim counts samples: the window starts exactly on its first beep period.
  const trim = `atrim=start_sample=${fromS * RATE}:end_sample=${(fromS + seconds) * RATE}`;
  return { pcm: samples(ffmpeg(['-i', file, '-af', trim, '-f', 's16le', '-ar', String(RATE), '-ac', '2', 'pipe:1'])), firstBeep: fromS * 2 };
}

/**
 * `BEEPS` beeps output `o` played in its frames [lo, hi), each identified in the source window and
 * placed in time. Only a window of the output is copied: a long play is 10 MB a minute.
 */
export function beepTimes(o: Output, lo: number, hi: number, src: SourceWindow, last: boolean): Timed[] {
  const s = o.out.samples(lo, hi);
  const onsets = beepOnsets(s, 0).filter((f) => f + 4096 <= hi - lo);
  if (onsets.length < BEEPS) throw new Error(`${o.id}: only ${onsets.length} beeps in output frames [${lo}, ${hi})`);
  const picked = last ? onsets.slice(-BEEPS) : onsets.slice(0, BEEPS);
  // The onset is the first sample over 1000, a frame or two after the beep's start (sin from 0):
  // compared one frame off, the sweep matches worse as it rises (ncc 0.9 at 4 kHz, 2 min in).
  const best = (f: number) => [0, 1, 2].map((d) => identify(s, f - d, src.pcm)).reduce((a, b) => (b.ncc > a.ncc ? b : a));
  const timed = picked.map((f) => ({ f, id: best(f) }));
  const good = timed.filter((x) => x.id.ncc >= 0.95);
  if (good.length < BEEPS / 2) throw new Error(`${o.id}: beeps in output frames [${lo}, ${hi}) match no beep of the source (ncc ${timed.map((x) => x.id.ncc.toFixed(2)).join(' ')})`);
  return good.map(({ f, id }) => ({ beep: src.firstBeep + id.beep, atMs: playsAt(o.out, lo + f, lo + picked[0]!, hi) }));
}

/** Median offset (ms) of `b`'s beeps after the same beeps of `a`. */
export function offset(a: Timed[], b: Timed[]): number {
  const xs = b.flatMap((y) => a.filter((x) => x.beep === y.beep).map((x) => y.atMs - x.atMs));
  if (xs.length < BEEPS / 2) throw new Error(`only ${xs.length} beeps in common`);
  return median(xs);
}

export async function benchGroupSync(minutes: number, progress: (s: string) => void): Promise<Row[]> {
  const signals = makeSignals('homecast-bench-group-');
  const seconds = minutes * 60;
  // Long enough for the drift play; the first-sound rounds stop early.
  const file = signals.flac('beeps.flac', beepsAndSweep(seconds + 6));
  const ns = await createNetns();
  let bed: GroupBed | undefined;
  try {
    progress('group: 2 shairport-sync speakers, 2 Sendspin players, our group runner');
    bed = await startGroupBed(ns, file, seconds + 6, 2, 2);
    const [r1, r2, p1, p2] = bed.outputs as [Output, Output, Output, Output];
    const all = [r1, r2, p1, p2];

    const group: number[] = [];
    const single: number[] = [];
    const perMember: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      progress(`group first sound: round ${i + 1} of ${ROUNDS}`);
      let from = framesOf(all);
      const g = await bed.cmd(`group ${all.map((o) => o.id).join(',')}`);
      const heard = await firstSounds(all, from);
      group.push(Math.max(...heard) - g.atMs);
      perMember.push(heard.map((t) => (t - g.atMs).toFixed(0)).join('/'));
      await stop(bed);
      from = framesOf([r1]);
      const s = await bed.cmd(`single ${bed.speakers[0]!.port}`);
      single.push((await firstSounds([r1], from))[0]! - s.atMs);
      await stop(bed);
    }

    progress('group join: a speaker and a player added to a playing group');
    let from = framesOf([r1, p1]);
    await bed.cmd(`group ${r1.id},${p1.id}`);
    await firstSounds([r1, p1], from);
    const join1 = framesOf([r2]);
    const addSpeaker = await bed.cmd(`add ${r2.id}`);
    const joinSpeaker = (await firstSounds([r2], join1))[0]! - addSpeaker.atMs;
    const join2 = framesOf([p2]);
    const addPlayer = await bed.cmd(`add ${p2.id}`);
    const joinPlayer = (await firstSounds([p2], join2))[0]! - addPlayer.atMs;
    await stop(bed);

    progress(`group drift: ${minutes} min of beeps on 2 speakers and 2 players`);
    from = framesOf(all);
    await bed.cmd(`group ${all.map((o) => o.id).join(',')}`);
    // Each output, once it holds the whole play (its lead-in is written ahead).
    await Promise.all(all.map((o, i) => o.until(() => o.out.frames >= from[i]! + (seconds + 2) * RATE, (seconds + 60) * 1000, `${seconds} s of output from ${o.id}`)));
    await stop(bed);
    // The first beeps within 20 s of the play, the last within 12 s before its last second.
    const head = sourceWindow(file, 0, 25);
    const tail = sourceWindow(file, seconds - 20, 26);
    const times = all.map((o, i) => ({
      first: beepTimes(o, from[i]!, from[i]! + 20 * RATE, head, false),
      // Not the last second: what a speaker writes as it is stopped is not the source.
      last: beepTimes(o, o.out.frames - 13 * RATE, o.out.frames - RATE, tail, true),
    }));
    const [t1, t2, t3, t4] = times as [(typeof times)[0], (typeof times)[0], (typeof times)[0], (typeof times)[0]];
    const pair = (a: typeof t1, b: typeof t1) => ({ start: offset(a.first, b.first), end: offset(a.last, b.last) });
    const aa = pair(t1, t2);
    const as1 = pair(t1, t3);
    const as2 = pair(t1, t4);
    const said = (p: { start: number; end: number }) => `${p.start.toFixed(2)} ms at the start, ${p.end.toFixed(2)} ms after ${minutes} min`;

    const refName = 'one AirPlay speaker alone';
    return [
      { section: 'group', metric: 'time to first sound, 4-member group (2 AirPlay + 2 Sendspin), median of 3', unit: 'ms', better: 'lower', ours: median(group), ref: median(single), refName,
        note: `group command → first non-silent frame of its last member to sound (each member R1/R2/P1/P2 per round: ${perMember.join(', ')} ms) vs our AirPlay driver to one shairport-sync (${single.map((x) => x.toFixed(0)).join(', ')} ms); both include the 2 s latency and shairport-sync's 72 ms muted start` },
      { section: 'group', metric: 'join latency, speaker added to a playing group', unit: 'ms', better: 'lower', ours: joinSpeaker, ref: median(single), refName,
        note: 'addMember → first non-silent frame of the joining member, vs play → first sound of one speaker alone' },
      { section: 'group', metric: 'join latency, Sendspin player added to a playing group', unit: 'ms', better: 'lower', ours: joinPlayer, ref: median(single), refName },
      // In µs: the table shows one decimal.
      { section: 'group', metric: `drift over ${minutes} min, AirPlay–Sendspin`, unit: 'µs', better: 'lower', ours: 1000 * Math.abs(as1.end - as1.start), ref: 1000 * Math.abs(aa.end - aa.start), refName: 'AirPlay–AirPlay, same play',
        note: `change of the offset of the same beeps (median of ${BEEPS}) between the first and the last ${BEEPS}; speaker R2 after R1: ${said(aa)}; player P1 after R1: ${said(as1)}; player P2 after R1: ${said(as2)}` },
      { section: 'group', metric: `offset after ${minutes} min, AirPlay–Sendspin`, unit: 'µs', better: 'lower', ours: 1000 * Math.abs(as1.end), ref: 1000 * Math.abs(aa.end), refName: 'AirPlay–AirPlay, same play' },
    ];
  } finally {
    await bed?.close();
    await ns.close();
    signals.close();
  }
}
