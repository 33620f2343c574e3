// A group of a real AirPlay speaker (shairport-sync in a network namespace) and two software
// Chromecasts played by Cast Streaming (receivers/chromecast/member.ts), one with its clock 50 ppm
// fast and 20 ms of one-way jitter on its leg. Every output is placed in time from its stamped reads
// (the Cast receiver writes in shairport-sync's convention) and the same beeps compared: Cast–AirPlay
// within 5 ms, Cast–Cast within 2 ms (see inSync), over 30 s here after 3 s of settling (the 5 minutes
// belong in a bench: CAST_SYNC_SECONDS=300 runs it so); a
// 20 ms delay on a Cast member is measured as 20 ± 2 ms. Without Sender Reports (a test switch) the
// Cast receiver, as Open Screen's, plays nothing: the same check fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Netns } from '../../../helpers/netns.js';
import { StampedOutput } from '../airplay/schedule.js';
import type { Signals } from '../airplay/speaker-fixture.js';
import type { Driver } from '../airplay/speaker-runner.js';
import { outputUntil as until, starvedNote, startGroupDriver, startSoftCast, type SoftCast } from './cast-emulators.js';
import type { GroupRunnerOptions } from './group-driver.js';
import { RATE } from './group-signal.js';
import { startCastBed, type CastBed } from './cast-bed.js';
import { median } from '../../../helpers/stats.js';
import { beepsIn, offsetsBetween } from './placed-beeps.js';

const SPEAKER = 5091;
const CASTS = [8101, 8102] as const;
const SECONDS = Number(process.env.CAST_SYNC_SECONDS ?? 30);
const SETTLE_BEEPS = 6;
/** Measurement switch: the Cast members' Sender Report interval (default: streaming/sender.ts REPORT_MS). */
const SR_MS = process.env.CAST_SR_MS ? { reportIntervalMs: Number(process.env.CAST_SR_MS) } : {};
let ns: Netns;
let signals: Signals;
let src: Int16Array;
let speakerOutput: StampedOutput;
let casts: SoftCast[] = [];
let bed: CastBed | undefined;

beforeAll(async () => {
  bed = await startCastBed({ name: 'group-cast', seconds: SECONDS + 20, speakerPort: SPEAKER, udpPortBase: 6300, casts: [] });
  ({ ns, signals, src, speakerOutput, casts } = bed);
});

afterAll(async () => {
  await Promise.all(casts.map((c) => c.stop()));
  await bed?.close();
});

async function startCasts(knobs: Parameters<typeof startSoftCast>[2][]): Promise<void> {
  await Promise.all(casts.map((c) => c.stop()));
  casts = await Promise.all(CASTS.map((p, i) => startSoftCast(ns, p, knobs[i])));
}

function startGroup(more: Partial<GroupRunnerOptions>): Driver {
  return startGroupDriver(ns, { host: ns.addr, members: [{ port: SPEAKER }], casts: CASTS.map((port) => ({ port })), file: signals.path('beeps.flac'), duration: SECONDS + 20, ...SR_MS, ...more }, () => casts);
}

interface Measured {
  castAirplay: number[][];
  castCast: number[];
  /** Per Cast member: whether its receiver was starved of CPU while it played (starvedNote), for failure messages. */
  notes: string[];
}

/** Output frames [from, to) of Cast member `cast` left out of the measure (what a stall of its own process lost). */
interface Excluded {
  cast: number;
  from: number;
  to: number;
}

/** Plays the group for SECONDS and measures every Cast output against the speaker and against each other; `during` acts while it plays. */
async function playAndMeasure(more: Partial<GroupRunnerOptions> = {}, castsMustPlay = true, during?: () => Promise<Excluded>): Promise<Measured> {
  const d = startGroup(more);
  const starts = [speakerOutput.frames, ...casts.map((c) => c.output.frames)];
  const outs = [speakerOutput, ...casts.map((c) => c.output)];
  const mark = d.out.lines.length;
  const logMarks = casts.map((c) => c.log.lines.length);
  await d.cmd('load 0', 30_000);
  await d.status((s) => s.state === 'playing', mark, 15_000);
  const excluded = await during?.();
  await until(outs[0]!, starts[0]! + SECONDS * RATE, 'the speaker', (SECONDS + 20) * 1000);
  // Each Cast output has run at least as long (the output goes on with silence even without audio).
  if (castsMustPlay) await Promise.all(casts.map((c, i) => until(c.output, starts[i + 1]! + SECONDS * RATE, `Cast ${c.port}`, 20_000)));
  await d.cmd('close');
  // Opus (lossy) leaves some onsets' sweep below the 0.95 match that identifies a beep: those are left
  // out of the Cast outputs (the counts below still want nearly every beep). Over minutes the speaker
  // too: shairport-sync adds or drops a frame when our clock and its own drift 2 ms apart
  // (drift_tolerance_in_seconds; seen once in 5 min, 265 s in), and a beep holding it matches 0.6.
  const beeps = outs.map((o, i) => beepsIn(o, src, starts[i]!, o.frames, i > 0 || SECONDS > 60));
  if (process.env.SHOW_OFFSETS) process.stdout.write(`beeps identified: ${beeps.map((b) => b.length).join(', ')}\n`);
  const show = (what: string, xs: number[]) => process.env.SHOW_OFFSETS && process.stdout.write(`${what} (ms, n=${xs.length}): min ${Math.min(...xs).toFixed(2)} max ${Math.max(...xs).toFixed(2)} median ${xs.length ? median(xs).toFixed(2) : '-'}\n`);
  // The first 3 s are the receivers' settling: their clock offset starts from the first SR's, late
  // by its jitter (and by a busy start), and the minimum filter takes it down as SRs come
  // (clock_drift_smoother.cc); but the sender sends up to the target delay (2 s) ahead, so the
  // first 2 s of frames are placed by the first few SRs' estimate (seen: beep 4 off by 7 ms, beep 6
  // in place). Measured from beep 6 (3 s) on; SHOW_OFFSETS prints the first ones.
  const out = (i: number, f: number): boolean => !!excluded && i === excluded.cast + 1 && f >= excluded.from && f < excluded.to;
  // Settling counts from each output's own first beep: a member that joined late (a busy start
  // makes one miss the first second) settles from its own first SR (the join test bounds that).
  const settled = beeps.map((b, i) => b.filter((x) => x.beep >= SETTLE_BEEPS + (i > 0 ? (b[0]?.beep ?? 0) : 0) && !out(i, x.frame)));
  if (process.env.SHOW_OFFSETS) show('first 3 s, Cast − AirPlay', casts.flatMap((_, i) => offsetsBetween(outs[0]!, beeps[0]!, outs[i + 1]!, beeps[i + 1]!.filter((x) => x.beep < SETTLE_BEEPS + (beeps[i + 1]![0]?.beep ?? 0)))));
  if (process.env.SHOW_OFFSETS) process.stdout.write(`first beep heard: ${beeps.map((b) => b[0]?.beep).join(', ')}\n`);
  const castAirplay = casts.map((_, i) => offsetsBetween(outs[0]!, settled[0]!, outs[i + 1]!, settled[i + 1]!));
  const castCast = offsetsBetween(outs[1]!, settled[1]!, outs[2]!, settled[2]!);
  castAirplay.forEach((o, i) => show(`Cast ${CASTS[i]} − AirPlay`, o));
  if (process.env.SHOW_OFFSETS) castAirplay.forEach((o, i) => process.stdout.write(`Cast ${CASTS[i]} − AirPlay, beep by beep: ${o.map((x) => x.toFixed(1)).join(' ')}\n`));
  show('Cast − Cast', castCast);
  const notes = casts.map((c, i) => starvedNote(c, logMarks[i]!, starts[i + 1]!, settled[i + 1]![0]?.frame ?? starts[i + 1]!, settled[i + 1]!.at(-1)?.frame ?? c.output.frames));
  return { castAirplay, castCast, notes };
}

/**
 * The check (the bounds): every Cast output heard nearly every beep (`fewer`: beeps left
 * out by the test), within 5 ms of the speaker and 2 ms of each other, also with 20 ms of uniform
 * jitter on one leg. What sets the Cast–Cast figure under jitter: Open Screen's receiver keeps the
 * minimum of the offsets it measured and creeps up between lower samples (clock_drift_smoother.cc;
 * the unit test streaming-clock.test.ts), and each receiver re-places its output only past 1 ms
 * (scheduled-output.ts). A model of both (2,000 runs of 30 s) gives a worst case of median 0.8 /
 * p99 1.4 ms with an SR every 20 ms (streaming/sender.ts REPORT_MS), 1.7 / 3.9 ms every 100 ms.
 * Measured at 20 ms, load average 6–7: Cast–Cast max 0.76–1.37 ms in seven runs (at 100 ms: up to
 * 4.1 ms). A receiver's own stalls (a loaded machine) are kept out of its filter (read-watch.ts).
 */
function inSync(m: Measured, fewer = 0): void {
  const beepsExpected = SECONDS * 2 - SETTLE_BEEPS - 6 - fewer;
  const beepByBeep = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(' ');
  m.castAirplay.forEach((o, i) => {
    const what = `Cast ${CASTS[i]} − AirPlay (ms, beep by beep: ${beepByBeep(o)}); ${m.notes[i]}`;
    expect(o.length, what).toBeGreaterThanOrEqual(beepsExpected);
    for (const x of o) expect(Math.abs(x), what).toBeLessThanOrEqual(5);
  });
  const what = `Cast − Cast (ms, beep by beep: ${beepByBeep(m.castCast)}); ${m.notes.join('; ')}`;
  expect(m.castCast.length, what).toBeGreaterThanOrEqual(beepsExpected);
  for (const x of m.castCast) expect(Math.abs(x), what).toBeLessThanOrEqual(2);
}

describe('a group of an AirPlay speaker and two Chromecasts by Cast Streaming', () => {
  it(`plays the Chromecasts within 5 ms of the speaker and 2 ms of each other (one 50 ppm fast with 20 ms of jitter), over ${SECONDS} s`, { timeout: (SECONDS + 90) * 1000 }, async () => {
    await startCasts([{}, { skewPpm: 50, jitterMs: 20 }]);
    inSync(await playAndMeasure());
  });

  it('a Chromecast whose process stands still 1 s (SIGSTOP: its CPU busy, not the network) keeps its place', { timeout: (SECONDS + 90) * 1000 }, async () => {
    await startCasts([{}, {}]);
    const m = await playAndMeasure({}, true, async () => {
      await until(speakerOutput, speakerOutput.frames + 6 * RATE, 'the speaker', 20_000);
      const pid = casts[0]!.process.pid!;
      const stalledAt = casts[0]!.output.frames;
      process.kill(pid, 'SIGSTOP');
      // The stimulus, not a measurement: the receiver misses 1 s of turns while packets queue.
      await new Promise((r) => setTimeout(r, 1000));
      process.kill(pid, 'SIGCONT');
      // What played during the stall and until its queue was decoded again was lost (decoded after
      // its play time, or cut at the start of a beep): left out, 1.5 s from the stall on.
      return { cast: 0, from: stalledAt - RATE / 10, to: stalledAt + 1.5 * RATE };
    });
    // A device stamps a packet's arrival in its network stack: the Sender Reports queued meanwhile
    // are not 1 s late to its clock filter, and the frames of that second play in place. Ours
    // moved them by ~35 ms, 1–2 s after the stall (read-watch.ts; seen failing so).
    inSync(m, 4);
    expect(m.notes[0]).toMatch(/stood still \d+ ms before reading a Sender Report/);
  });

  it('a Cast member given 20 ms of delay is heard 20 ± 2 ms after the other', { timeout: 120_000 }, async () => {
    await startCasts([{}, {}]);
    const m = await playAndMeasure({ casts: [{ port: CASTS[0] }, { port: CASTS[1], delayMs: 20 }] });
    expect(m.castCast.length).toBeGreaterThanOrEqual(SECONDS * 2 - SETTLE_BEEPS - 6);
    for (const x of m.castCast) expect(Math.abs(x - 20)).toBeLessThanOrEqual(2);
  });

  it('without Sender Reports (a test switch) the Chromecasts are not on the group clock: the check fails', { timeout: 120_000 }, async () => {
    await startCasts([{}, {}]);
    const m = await playAndMeasure({ senderReports: false }, false);
    // Open Screen's receiver drops every frame until an SR: nothing is heard, so the check fails.
    expect(() => inSync(m)).toThrow();
    expect(m.castAirplay.flat()).toEqual([]);
    await casts[0]!.log.wait(/"event":"streaming-stopped","framesPlayed":0,/, 10_000);
  });
});
