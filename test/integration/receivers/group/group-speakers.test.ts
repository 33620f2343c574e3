// A group of real AirPlay speakers (shairport-sync 3.3.8 in a network namespace) played as one
// receiver: the group receiver (receivers/group/receiver.ts) with members opened by
// openRaopMember, run inside the namespace (group-driver.ts). Each output is placed in time from
// its stamped reads (airplay/schedule.ts) and the same beeps compared across speakers; what a
// speaker played is compared with the source to show it has no gap (group-signal.ts).
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { alignTo, lastLoud, LOUD } from '../airplay/pcm-compare.js';
import { StampedOutput } from '../airplay/schedule.js';
import { startShairport, type Shairport } from '../airplay/shairport.js';
import { makeSignals, samples, type Signals } from '../airplay/speaker-fixture.js';
import { driverOver, type Driver } from '../airplay/speaker-runner.js';
import type { GroupRunnerOptions } from './group-driver.js';
import { afterLeadIn, beepsAndSweep, RATE } from './group-signal.js';
import { beepsIn, gapsBetween, heardAt, offsetsBetween, settledFrom, type Beep } from './placed-beeps.js';
import { median } from '../../../helpers/stats.js';

const PORTS = [5071, 5072] as const;
const A = 0;
const B = 1;
let ns: Netns;
let signals: Signals;
let src: Int16Array;
const speakers: Shairport[] = [];
const outputs: StampedOutput[] = [];

async function startSpeaker(i: number): Promise<void> {
  const s = startShairport(ns, { port: PORTS[i]!, name: `Room${PORTS[i]}`, udpPortBase: 6100 + 100 * i });
  speakers[i] = s;
  outputs[i] = new StampedOutput(s.process.stdout!);
  await s.advertised();
}

beforeAll(async () => {
  signals = makeSignals('group-speakers-');
  signals.flac('beeps.flac', beepsAndSweep(60));
  src = samples(signals.pcm('beeps.flac'));
  ns = await createNetns();
  await Promise.all(PORTS.map((_, i) => startSpeaker(i)));
});

afterAll(async () => {
  for (const s of speakers) s?.process.kill('SIGCONT');
  await Promise.all(speakers.map((s) => s?.stop()));
  await ns?.close();
  signals?.close();
});

function startGroup(members: GroupRunnerOptions['members'], more: Partial<GroupRunnerOptions> = {}): Driver {
  const o: GroupRunnerOptions = { host: ns.addr, members, file: signals.path('beeps.flac'), duration: 60, ...more };
  const child = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/integration/receivers/group/group-driver.js'), JSON.stringify(o)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const d = driverOver(child, 'group-driver');
  onTestFinished(() => d.kill());
  onTestFailed(() => console.error(`group driver:\n${d.out.lines.slice(-40).join('\n')}\n${speakers.map((s) => s.log().slice(-3000)).join('\n----\n')}`));
  return d;
}

type MemberLine = { id: string; state: string; error?: string };

/** Waits for a 'members' event (from line `after` on) where member `port` is in `state`; its line index. */
async function member(d: Driver, port: number, state: string, after: number, timeoutMs = 15_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    for (let i = after; i < d.out.lines.length; i++) {
      const l = d.out.lines[i]!;
      if (!l.startsWith('{"event":"members"')) continue;
      const m = (JSON.parse(l) as { members: MemberLine[] }).members.find((x) => x.id === `airplay:R${port}`);
      if (m?.state === state) return i;
    }
    if (performance.now() > deadline) throw new Error(`member ${port} not ${state} within ${timeoutMs} ms`);
    await delay(50);
  }
}

/** Waits until speaker `i` has written `seconds` of output after frame `from`. */
const output = (i: number, from: number, seconds: number, timeoutMs = 15_000): Promise<void> =>
  speakers[i]!.pcm.until(() => outputs[i]!.frames >= from + seconds * RATE, timeoutMs, `${seconds} s of output`);

/** The beeps speaker `i` played in output frames [from, to) (one session), each identified in the source. */
const beeps = (i: number, from: number, to = outputs[i]!.frames): Beep[] => beepsIn(outputs[i]!, src, from, to);

/**
 * Where a new session's audio starts in speaker `i`'s output after frame `from`: after its lead-in
 * of silence (the source never is silent). Skips what a speaker frozen
 * mid-session writes of its old session once it runs again.
 */
function sessionAfter(i: number, from: number): number {
  const at = afterLeadIn(outputs[i]!.samples(0), from);
  expect(at).toBeDefined();
  return at!;
}

/** Waits until speaker `i` has written `seconds` of a new session's sound (after its lead-in) after frame `from`. */
function newSession(i: number, from: number, seconds: number, timeoutMs = 20_000): Promise<void> {
  let checked = from;
  return speakers[i]!.pcm.until(() => {
    if (outputs[i]!.frames < checked + RATE / 2) return false; // look again every 0.5 s of output
    checked = outputs[i]!.frames;
    const at = afterLeadIn(outputs[i]!.samples(0), from);
    return at !== undefined && outputs[i]!.frames >= at + seconds * RATE;
  }, timeoutMs, `${seconds} s of a new session's sound`);
}

/** When a beep played: from the reads of its session after its first beep (the lead-in is written early). */
const heard = (i: number, x: Beep, first: Beep): number => heardAt(outputs[i]!, x, first);

/** Offsets (ms) of speaker B's beeps after speaker A's same beeps. */
const offsets = (a: Beep[], b: Beep[]): number[] => offsetsBetween(outputs[A]!, a, outputs[B]!, b);

/** Speaker `i` played the source without a gap from its beep `first` to its beep `last`. */
const continuous = (i: number, first: Beep, last: Beep): void => void expect(gapsBetween(outputs[i]!, src, first, last)).toEqual([]);

/**
 * Output frames (per speaker) from which B's offset behind A has settled after a change at output
 * frames `changed`: successive windows of beeps agree (placed-beeps.ts settledFrom). Waits for
 * output a second at a time, at most `maxS` seconds after the change.
 */
async function settled(changed: number[], maxS = 16): Promise<number[]> {
  for (let s = 5; s <= maxS; s++) {
    await Promise.all([A, B].map((i) => output(i, changed[i]!, s)));
    // The move may cut a beep of B's: such an onset is left out.
    const a = beepsIn(outputs[A]!, src, changed[A]!);
    const b = beepsIn(outputs[B]!, src, changed[B]!, outputs[B]!.frames, true);
    const k = settledFrom(outputs[A]!, a, outputs[B]!, b);
    if (k === undefined) continue;
    show('settled after the change (s)', [(b[k]!.frame - changed[B]!) / RATE]);
    const x = a.find((z) => z.beep === b[k]!.beep)!;
    // Just before the beeps (an onset needs quiet before it to be found).
    return [x.frame, b[k]!.frame].map((f) => f - RATE / 10);
  }
  throw new Error(`B's offset did not settle within ${maxS} s of the change`);
}

const show = (what: string, xs: number[]): void => {
  if (process.env.SHOW_OFFSETS) process.stdout.write(`${what} (ms): ${xs.map((o) => o.toFixed(3)).join(' ')}\n`);
};

describe('a group of two AirPlay speakers as one receiver', () => {
  it('plays them within 1 ms of each other; a member given 20 ms of delay is measured 20 ± 2 ms late', { timeout: 60_000 }, async () => {
    const check = (o: number[], delayMs: number, what: string): void => {
      show(`offsets, ${what}`, o);
      expect(o.length).toBeGreaterThanOrEqual(5);
      // A member moved by a delay is held by shairport-sync within its drift tolerance (2 ms by
      // default: `drift_tolerance_in_seconds` in shairport-sync.conf), anywhere inside it (measured
      // 20.0…21.6 ms), so only the undelayed start is held to 1 ms.
      if (!delayMs) expect(Math.abs(median(o))).toBeLessThan(1);
      for (const x of o) expect(Math.abs(x - delayMs)).toBeLessThanOrEqual(delayMs ? 2 : 1);
    };
    for (const delayMs of [0, 20]) {
      const d = startGroup([{ port: PORTS[A] }, { port: PORTS[B], delayMs }]);
      const starts = outputs.map((o) => o.frames);
      const mark = d.out.lines.length;
      await d.cmd('load 0');
      await d.status((s) => s.state === 'playing', mark, 8000);
      await Promise.all([A, B].map((i) => output(i, starts[i]!, 5)));
      if (delayMs) {
        await d.cmd('close');
        check(offsets(beeps(A, starts[A]!), beeps(B, starts[B]!)), delayMs, `delay ${delayMs} from the start`);
        continue;
      }
      // The delay changed while playing: the next sync packet (within 1 s) moves the member, heard
      // after the output's lead. Measured once the data says it has settled (bounded wait), from
      // reads after that only.
      const changed = outputs.map((o) => o.frames);
      await d.cmd('delay 5072 20');
      const from = await settled(changed);
      await Promise.all([A, B].map((i) => output(i, from[i]!, 5)));
      await d.cmd('close');
      check(offsets(beeps(A, starts[A]!, changed[A]), beeps(B, starts[B]!, changed[B])), 0, 'no delay');
      check(offsets(beeps(A, from[A]!), beeps(B, from[B]!)), 20, 'delay 20 set while playing');
    }
  });

  it('a member added while playing is in step within 3 s; the other plays on without a gap, also when it is removed', { timeout: 60_000 }, async () => {
    const d = startGroup([{ port: PORTS[A] }]);
    const startA = outputs[A]!.frames;
    await d.cmd('load 0');
    await output(A, startA, 4);
    const startB = outputs[B]!.frames;
    const addedAt = performance.now();
    let mark = d.out.lines.length;
    await d.cmd('add 5072');
    await member(d, PORTS[B], 'playing', mark);
    await output(B, startB, 5);
    mark = d.out.lines.length;
    await d.cmd('remove 5072');
    const removedAt = outputs[A]!.frames;
    await output(A, removedAt, 3);
    await d.cmd('close');

    const a = beeps(A, startA);
    const b = beeps(B, startB);
    // In step from its first beep, heard within 3 s of the add.
    // Its first sound (after its lead-in), placed in time from the reads of its session: soon, from
    // the packets sent again to it; without them it would be the 2 s latency after the add.
    const firstSound = afterLeadIn(outputs[B]!.samples(0), startB)!;
    const joinMs = outputs[B]!.msOfFrame(firstSound, b[0]!.frame) - addedAt;
    show('heard after the add', [joinMs]);
    expect(joinMs).toBeLessThan(2000);
    // And in step (below) from its first beep, within 3 s.
    expect(heard(B, b[0]!, b[0]!) - addedAt).toBeLessThan(3000);
    const o = offsets(a, b);
    show('offsets after a join', o);
    expect(o.length).toBeGreaterThanOrEqual(4);
    for (const x of o) expect(Math.abs(x)).toBeLessThanOrEqual(1);
    continuous(B, b[0]!, b.at(-1)!);
    // The one playing all along: the source without a gap across the join and the removal.
    expect(a.at(-1)!.frame).toBeGreaterThan(removedAt + RATE);
    continuous(A, a[0]!, a.at(-1)!);
  });

  // shairport-sync woken from a long SIGSTOP settles its clock in the first seconds of the next
  // session: seen once in four runs, 1.07 ms early for its first 3.5 s, then 0.06 ms (the timing
  // it had before the freeze is stale; a speaker merely restarted starts in step).
  const FREEZE_SETTLE_S = 4;
  it('a speaker killed (SIGKILL) or frozen (SIGSTOP) is gone within 10 s while the other plays on without a gap; back, it rejoins in step (on memberOnline, or on its own; from 4 s into its new session after a freeze)', { timeout: 90_000 }, async () => {
    const d = startGroup([{ port: PORTS[A] }, { port: PORTS[B] }]);
    const startA = outputs[A]!.frames;
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await member(d, PORTS[B], 'playing', mark);
    await output(B, outputs[B]!.frames, 3);

    // Killed: its RTSP connection closes.
    mark = d.out.lines.length;
    const killedAt = performance.now();
    speakers[B]!.process.kill('SIGKILL');
    await member(d, PORTS[B], 'gone', mark, 10_000);
    expect(performance.now() - killedAt).toBeLessThan(10_000);
    mark = d.out.lines.length;
    await speakers[B]!.stop();
    await startSpeaker(B);
    // As discovery says when it sees the speaker again (a retry of the group's own may come first).
    await d.cmd('online 5072');
    await member(d, PORTS[B], 'playing', mark);
    await output(B, 0, 4);
    const b1 = beeps(B, 0);

    // Frozen: nothing closes; it stops asking for the time (10 s of silence, checked every second).
    mark = d.out.lines.length;
    const frozenAt = performance.now();
    speakers[B]!.process.kill('SIGSTOP');
    await member(d, PORTS[B], 'gone', mark, 12_000);
    const goneMs = performance.now() - frozenAt;
    // Running again, it says nothing discovery would see: the group tries it again on its own.
    speakers[B]!.process.kill('SIGCONT');
    const startB2 = outputs[B]!.frames;
    mark = d.out.lines.length;
    await member(d, PORTS[B], 'playing', mark, 20_000);
    // What it writes on waking (its old session's tail, and silence for the frozen time, written at
    // once) can fill any fixed amount of output: wait for the new session's sound itself.
    await newSession(B, startB2, 6 + FREEZE_SETTLE_S);
    await d.cmd('close');

    const a = beeps(A, startA);
    const o1 = offsets(a, b1);
    // Measured from FREEZE_SETTLE_S into the new session (its first beep as the session's start for placing).
    const rejoined = beeps(B, sessionAfter(B, startB2));
    const b2 = rejoined.filter((x) => x.frame >= rejoined[0]!.frame + FREEZE_SETTLE_S * RATE);
    const o2 = offsets(a, b2);
    show('offsets after a restart', o1);
    show('offsets after a freeze', o2);
    if (process.env.SHOW_OFFSETS) process.stdout.write(`gone ${goneMs.toFixed(0)} ms after the freeze\n`);
    // 10 s after its last timing request, which came at most 3 s before the freeze.
    expect(goneMs).toBeLessThan(11_500);
    for (const x of [...o1, ...o2]) expect(Math.abs(x)).toBeLessThanOrEqual(1);
    expect(o1.length).toBeGreaterThanOrEqual(4);
    expect(o2.length).toBeGreaterThanOrEqual(4);
    continuous(A, a[0]!, a.at(-1)!);
  });

  it('plays an album of two tracks given by preload on every member without a gap between them', { timeout: 40_000 }, async () => {
    // Each track one DC level under a sweep: a frame between them that belongs to neither is a gap.
    const track = (name: string, expr: string): Buffer => {
      signals.flac(name, `aevalsrc=${expr}|${expr}:s=${RATE}:d=3`);
      return signals.pcm(name);
    };
    const one = track('one.flac', '0.3+0.1*sin(2*PI*(200*t+300*t*t))');
    const two = track('two.flac', '-0.3+0.1*sin(2*PI*(2000*t-250*t*t))');
    const both = samples(Buffer.concat([one, two]));
    const d = startGroup([{ port: PORTS[A] }, { port: PORTS[B] }], { file: signals.path('one.flac'), file2: signals.path('two.flac'), duration: 3, duration2: 3 });
    const starts = outputs.map((o) => o.frames);
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.cmd('preload2');
    const finished = await d.status((s) => s.idleReason === 'finished', mark, 10_000);
    expect(String(finished.preloaded)).toMatch(/\/media\/2$/);
    const next = d.out.lines.indexOf(d.out.lines.slice(mark).find((l) => l.includes('"preloaded"'))!);
    await d.status((s) => s.state === 'idle' && !s.preloaded, next, 10_000);
    const states = d.out.lines.slice(mark).filter((l) => l.startsWith('{"event":"status"')).map((l) => (JSON.parse(l) as { state: string }).state);
    expect(states.filter((st, i) => st !== states[i - 1])).toEqual(['loading', 'playing', 'idle', 'playing', 'idle']);
    await d.cmd('close');
    for (const i of [A, B]) {
      const out = outputs[i]!.samples(starts[i]);
      // After the lead-in: a speaker frozen by the test before may still write its old session first.
      const a = afterLeadIn(out, 0) ?? -1;
      expect(a).toBeGreaterThanOrEqual(0);
      const z = lastLoud(out);
      const { lag, ncc } = alignTo(out, a, both, 12 * 352);
      expect(ncc).toBeGreaterThan(0.99);
      let lastPos = a;
      while (lastPos + 1 <= z && out[2 * (lastPos + 1)]! > LOUD) lastPos++;
      let firstNeg = lastPos + 1;
      while (firstNeg <= z && !(out[2 * firstNeg]! < -LOUD)) firstNeg++;
      expect(firstNeg - lastPos - 1).toBe(0); // frames between the tracks
      expect(lastPos - a + lag + 1).toBe(one.length / 4); // track 1 whole, then track 2
      expect(z - a + 1 + lag).toBe(both.length / 2); // and track 2 whole
    }
  });
});
