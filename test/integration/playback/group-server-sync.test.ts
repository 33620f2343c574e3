// Groups on the path a person uses: the real server and its command line, all inside one network
// namespace, playing to two real AirPlay speakers (shairport-sync 3.3.8, config entries) and one
// Sendspin player (our emulator, connecting to the server's Sendspin port). Every output is placed
// in time from its stamped reads (airplay/schedule.ts; the emulator writes in shairport-sync's
// convention) and the same beeps compared across members; what a member played is compared with
// the source to show it has no gap (group-signal.ts).
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiverDescriptor } from '../../../receivers/types.js';
import { cliOk } from '../../helpers/cli.js';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { scanFinished, sendspinPort, startServer, type RunningServer } from '../../helpers/server.js';
import { lastLoud } from '../receivers/airplay/pcm-compare.js';
import { StampedOutput } from '../receivers/airplay/schedule.js';
import { startShairport, type Shairport } from '../receivers/airplay/shairport.js';
import { makeSignals, samples, type Signals } from '../receivers/airplay/speaker-fixture.js';
import { makeFlac } from '../receivers/airplay/speaker-emulator-helpers.js';
import { afterLeadIn, beepsAndSweep, RATE } from '../receivers/group/group-signal.js';
import { median } from '../../helpers/stats.js';
import { beepsIn, gapsBetween, heardAt, offsetsBetween, showOffsets, type Beep } from '../receivers/group/placed-beeps.js';
import { startEmulator, type Emulator } from '../receivers/sendspin/fixture.js';

const SPEAKERS = [{ name: 'Kitchen', port: 5071 }, { name: 'Lounge', port: 5072 }] as const;
type Name = 'Kitchen' | 'Lounge' | 'Den';
const DEN_ID = 'sendspin:den';

let ns: Netns;
let signals: Signals;
let src: Int16Array;
let server: RunningServer;
let base: string;
let sendspinUrl: string;
const speakers = new Map<Name, Shairport>();
const stamped = new Map<Name, StampedOutput>();
let den: Emulator;

function startDen(): Emulator {
  den = startEmulator(['--server', sendspinUrl, '--name', 'Den', '--id', 'den'], (cmd, args) => ns.spawn(cmd, args));
  stamped.set('Den', den.output);
  return den;
}

beforeAll(async () => {
  signals = makeSignals('group-server-sync-');
  makeFlac(beepsAndSweep(60), signals.path('Beeps.flac'), { title: 'Beeps', artist: 'Tester' });
  src = samples(signals.pcm('Beeps.flac'));
  ns = await createNetns();
  await Promise.all(SPEAKERS.map(async ({ name, port }, i) => {
    const s = startShairport(ns, { port, name, udpPortBase: 6100 + 100 * i });
    speakers.set(name, s);
    stamped.set(name, new StampedOutput(s.process.stdout!));
    await s.advertised();
  }));
  server = await startServer({
    netns: ns,
    config: {
      // The address the speakers see us at, so the media URLs of a group reach our own ffmpeg.
      host: ns.addr,
      libraries: [{ name: 'Music', path: signals.dir, kind: 'music' }],
      receivers: SPEAKERS.map(({ name, port }) => ({ kind: 'airplay', name, host: ns.addr, port })),
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  base = `http://${ns.addr}:${server.port}`;
  const ssPort = await sendspinPort(server);
  sendspinUrl = `ws://${ns.addr}:${ssPort}/sendspin`;
  await scanFinished(server, 'Music');
  startDen();
  await den.events.waitFor((l) => l.event === 'synced');
}, 90_000);

afterAll(async () => {
  den?.proc.kill('SIGCONT');
  await den?.stop();
  await server?.stop();
  await Promise.all([...speakers.values()].map((s) => s.stop()));
  await ns?.close();
  signals?.close();
});

const ok = (...args: string[]): Promise<string> => cliOk(args, { server: base, token: server.token, netns: ns });

const out = (n: Name): StampedOutput => stamped.get(n)!;
const streamOf = (n: Name): Readable => (n === 'Den' ? den.proc.stdout! : speakers.get(n)!.process.stdout!);
const frames = (): Record<Name, number> => ({ Kitchen: out('Kitchen').frames, Lounge: out('Lounge').frames, Den: out('Den').frames });

/** Waits until member `n` has written `seconds` of output after frame `from`. */
function played(n: Name, from: number, seconds: number, timeoutMs = 20_000): Promise<void> {
  const o = out(n);
  const stream = streamOf(n);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (o.frames < from + seconds * RATE) return;
      clearTimeout(timer);
      stream.off('data', check);
      resolve();
    };
    const timer = setTimeout(() => {
      stream.off('data', check);
      reject(new Error(`${n}: not ${seconds} s of output after frame ${from} within ${timeoutMs} ms (${o.frames} frames)`));
    }, timeoutMs);
    stream.on('data', check);
    check();
  });
}

/** Its beeps; an onset that is no beep of the source fails naming the member (with a speaker's log: a late packet, a resync). */
function beeps(n: Name, from: number, to?: number): Beep[] {
  try {
    return beepsIn(out(n), src, from, to);
  } catch (e) {
    const log = n === 'Den' ? den.events.lines.slice(-15).join('\n') : speakers.get(n)!.log().split('\n').slice(-25).join('\n');
    throw new Error(`${n}: ${(e as Error).message}, read from output frame ${from}\n${log}`);
  }
}
const offsets = (a: Name, xa: Beep[], b: Name, xb: Beep[]): number[] => offsetsBetween(out(a), xa, out(b), xb);
const gaps = (n: Name, xs: Beep[]): string[] => gapsBetween(out(n), src, xs[0]!, xs.at(-1)!);
const show = (what: string, xs: number[]): void => showOffsets(what, xs, 'ms', 3);
/** Every offset within `tolerance` of `expected`, and enough of them to mean something. */
function within(what: string, xs: number[], expected: number, tolerance: number, atLeast = 4): void {
  show(what, xs);
  expect(xs.length, what).toBeGreaterThanOrEqual(atLeast);
  for (const x of xs) expect(Math.abs(x - expected), `${what}: ${xs.map((o) => o.toFixed(2)).join(' ')}`).toBeLessThanOrEqual(tolerance);
}

/**
 * Stops the group. Our Sendspin emulator plays out what it has queued at stream/end (up to the 2 s
 * latency) while the speakers stop at once: the next test's outputs start after it is drained.
 */
async function stopGroup(): Promise<void> {
  const from = den.events.lines.length;
  await ok('stop', '--to', 'Downstairs');
  await den.events.waitFor((l) => l.event === 'drained', 5000, from);
}

type Member = { id: string; name: string; state: string; delayMs: number };
async function members(group: string): Promise<Member[]> {
  const groups = JSON.parse(await ok('group', 'list', '--json')) as (ReceiverDescriptor & { group?: Member[] })[];
  return groups.find((g) => g.name === group)!.group!;
}

describe('a group played from the command line: two AirPlay speakers and a Sendspin player', () => {
  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`server:\n${server.lines.slice(-40).join('\n')}\nDen: ${den.events.lines.slice(-10).map((l) => JSON.stringify(l)).join('\n')}`)));

  it('plays all three in sync (AirPlay–AirPlay ≤ 1 ms, AirPlay–Sendspin ≤ 10 ms); "group delay … Den 20" puts the player 20 ± 2 ms later', { timeout: 60_000 }, async () => {
    expect(await ok('group', 'create', 'Downstairs', '--with', 'Kitchen', '--with', 'Lounge', '--with', 'Den')).toBe('● Downstairs\n  Kitchen: idle, volume 100%\n  Lounge: idle, volume 100%\n  Den: idle, volume 100%\n');
    const starts = frames();
    await ok('play', '--to', 'Downstairs', 'Beeps');
    await Promise.all((['Kitchen', 'Lounge', 'Den'] as const).map((n) => played(n, starts[n], 6)));
    // Before the command (its output plays within 1 s, before anything sent after it), and once it
    // is answered (the delay is applied by then).
    const asked = frames();
    expect(await ok('group', 'delay', 'Downstairs', 'Den', '20')).toMatch(/^ {2}Den: playing, volume 100%, delay 20 ms$/m);
    const changed = frames();
    await Promise.all((['Kitchen', 'Lounge', 'Den'] as const).map((n) => played(n, changed[n], 5)));
    await stopGroup();
    await ok('group', 'delay', 'Downstairs', 'Den', '0');

    const before = (n: Name) => beeps(n, starts[n], asked[n]);
    within('Lounge after Kitchen', offsets('Kitchen', before('Kitchen'), 'Lounge', before('Lounge')), 0, 1, 6);
    const den0 = offsets('Kitchen', before('Kitchen'), 'Den', before('Den'));
    within('Den after Kitchen', den0, 0, 10, 6);
    // From 2 s of output after the change (what is sent from then on is written 1 s later, as it
    // is heard 2 s later), placed in time from reads after it only.
    const after = (n: Name) => beeps(n, changed[n] + 2 * RATE);
    within('Lounge after Kitchen, Den delayed', offsets('Kitchen', after('Kitchen'), 'Lounge', after('Lounge')), 0, 1);
    const den20 = offsets('Kitchen', after('Kitchen'), 'Den', after('Den'));
    within('Den after Kitchen, delayed 20 ms', den20, 20, 2);
    expect(Math.abs(median(den20) - median(den0) - 20)).toBeLessThan(2);
  });

  it('a member added while the group plays is in step within 3 s; the others play on without a gap', { timeout: 60_000 }, async () => {
    await ok('group', 'remove', 'Downstairs', 'Den');
    const starts = frames();
    await ok('play', '--to', 'Downstairs', 'Beeps');
    await played('Kitchen', starts.Kitchen, 5);
    const join = frames();
    const mark = server.lines.length;
    const typedAt = performance.now();
    let joinedAt = 0;
    const joined = server.waitForLine(new RegExp(` member joined receiver=\\S+ member=${DEN_ID} `), 15_000, mark).then(() => (joinedAt = performance.now()));
    expect(await ok('group', 'add', 'Downstairs', 'Den')).toMatch(/^ {2}Den: playing/m);
    await joined;
    await played('Den', join.Den, 6);
    await stopGroup();

    const k = beeps('Kitchen', starts.Kitchen);
    const d = beeps('Den', join.Den);
    // In step from its first beep, heard within 3 s of the server taking it in (the command line's
    // own start, a node process on a loaded machine, is shown but not the server's to bound).
    const firstBeep = heardAt(out('Den'), d[0]!, d[0]!);
    show('Den\'s first beep after the join, after "group add" was typed', [firstBeep - joinedAt, firstBeep - typedAt]);
    expect(firstBeep - joinedAt).toBeLessThan(3000);
    within('Den after Kitchen, joined while playing', offsets('Kitchen', k, 'Den', d), 0, 10);
    expect(gaps('Den', d)).toEqual([]);
    // The members playing all along: the source without a gap across the join.
    for (const n of ['Kitchen', 'Lounge'] as const) {
      const xs = beeps(n, starts[n]);
      expect(xs[0]!.frame).toBeLessThan(join[n]);
      expect(xs.at(-1)!.frame).toBeGreaterThan(join[n] + 3 * RATE);
      expect(gaps(n, xs), n).toEqual([]);
    }
  });

  it('a member removed, or a player killed (SIGKILL) or frozen (SIGSTOP), leaves the others playing without a gap; the player is gone within 10 s and rejoins in step when it is back', { timeout: 90_000 }, async () => {
    const starts = frames();
    await ok('play', '--to', 'Downstairs', 'Beeps');
    await Promise.all((['Kitchen', 'Den'] as const).map((n) => played(n, starts[n], 4)));
    const removed = frames();
    expect(await ok('group', 'remove', 'Downstairs', 'Lounge')).not.toMatch(/Lounge/);
    await Promise.all((['Kitchen', 'Den'] as const).map((n) => played(n, removed[n], 2)));

    // Killed: its connection closes with it.
    const killed = frames();
    const old = den;
    const mark = server.lines.length;
    const killedAt = performance.now();
    old.proc.kill('SIGKILL');
    await server.waitForLine(new RegExp(` member lost receiver=\\S+ member=${DEN_ID} `), 12_000, mark);
    const goneMs = performance.now() - killedAt;
    show('Den lost after SIGKILL (ms)', [goneMs]);
    expect(goneMs).toBeLessThan(10_000);
    expect((await members('Downstairs')).map((m) => [m.name, m.state])).toEqual([['Kitchen', 'playing'], ['Den', 'gone']]);
    const oldBeeps = beeps('Den', starts.Den);

    // Back (the same client id): it rejoins the playing group.
    const back = server.lines.length;
    startDen();
    await server.waitForLine(new RegExp(` member joined receiver=\\S+ member=${DEN_ID} `), 15_000, back);
    await played('Den', 0, 5);
    await played('Kitchen', killed.Kitchen, 2);
    expect((await members('Downstairs')).map((m) => [m.name, m.state])).toEqual([['Kitchen', 'playing'], ['Den', 'playing']]);
    const rejoinedOut = den.output;
    const rejoined = beeps('Den', 0);

    // Frozen (SIGSTOP): its connection stays open but nothing answers on it.
    const frozen = den;
    const frozenMark = server.lines.length;
    const frozenAt = performance.now();
    frozen.proc.kill('SIGSTOP');
    await server.waitForLine(new RegExp(` member lost receiver=\\S+ member=${DEN_ID} `), 15_000, frozenMark);
    const frozenGoneMs = performance.now() - frozenAt;
    show('Den lost after SIGSTOP (ms)', [frozenGoneMs]);
    expect(frozenGoneMs).toBeLessThan(10_000);
    expect((await members('Downstairs')).map((m) => [m.name, m.state])).toEqual([['Kitchen', 'playing'], ['Den', 'gone']]);
    await played('Kitchen', out('Kitchen').frames, 1);
    frozen.proc.kill('SIGKILL');
    await frozen.stop();
    // A new one for the next test, in the group again.
    const again = server.lines.length;
    startDen();
    await server.waitForLine(new RegExp(` member joined receiver=\\S+ member=${DEN_ID} `), 15_000, again);
    await played('Den', 0, 3);
    await stopGroup();

    const k = beeps('Kitchen', starts.Kitchen);
    expect(k.at(-1)!.frame).toBeGreaterThan(killed.Kitchen + 5 * RATE);
    expect(gaps('Kitchen', k)).toEqual([]);
    // The player, until it was killed: no gap across the removal.
    expect(oldBeeps.at(-1)!.frame).toBeGreaterThan(removed.Den + RATE);
    expect(gapsBetween(old.output, src, oldBeeps[0]!, oldBeeps.at(-1)!)).toEqual([]);
    within('Den after Kitchen, back after SIGKILL', offsetsBetween(out('Kitchen'), k, rejoinedOut, rejoined), 0, 10);
  });

  it('"move" from the group to one speaker goes on within 1 s of where the group was', { timeout: 60_000 }, async () => {
    const starts = frames();
    await ok('play', '--to', 'Downstairs', 'Beeps');
    await played('Kitchen', starts.Kitchen, 5);
    const moved = frames();
    expect(await ok('move', 'Downstairs', 'Lounge')).toMatch(/^Lounge: \w+ Tester – Beeps /);
    await played('Lounge', moved.Lounge, 4);
    const status = JSON.parse(await ok('status', '--json')) as { receiverId: string; state: string }[];
    await ok('stop', '--to', 'Lounge');

    // Where Kitchen stopped in the source, and where Lounge started: from what each played. The
    // output is written one lead (1 s) before it plays, so its last lead was never heard.
    const k = beeps('Kitchen', starts.Kitchen);
    const kEnd = lastLoud(out('Kitchen').samples(0)) - (out('Kitchen').leadMs / 1000) * RATE;
    const left = (kEnd - k.at(-1)!.lag) / RATE;
    const loungeFirst = afterLeadIn(out('Lounge').samples(0), moved.Lounge)!;
    const l = beeps('Lounge', loungeFirst);
    const started = (loungeFirst - l[0]!.lag) / RATE;
    show('left at, started at (s)', [left, started]);
    expect(left).toBeGreaterThan(1.5);
    expect(Math.abs(started - left), `Kitchen left at ${left} s, Lounge started at ${started} s`).toBeLessThan(1);
    expect(gaps('Lounge', l)).toEqual([]);
    expect(status.filter((s) => s.state !== 'idle').length).toBe(1);
  });
});
