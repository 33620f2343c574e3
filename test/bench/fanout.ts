// Fan-out: with 200 (then 1,000) remotes connected, how long from a command until the last remote
// has the new state (median and p99), beside a bare Socket.IO server that does the least a
// controller must: the same Cast round trip (SET_VOLUME to its own emulated Chromecast, by
// castv2-client) before it knows the new state, then one broadcast of the very same state to as
// many remotes. Our server pushes a volume only once the device has answered (receiver events are
// the truth: a device may clamp, refuse or have taken another sender's level), so the round trip
// is in both; the emulators run in their own processes, like devices, not in this one, which holds
// every remote's socket. Rounds alternate between ours, the reference and a bare broadcast without
// any device (in the note: what the device's round trip costs), so the machine's load weighs on
// all alike; 300 rounds for 200 remotes (p99 is then the 4th worst: one stall of the machine does
// not make it), 120 for 1,000 (the 2nd worst).
// BENCH_CPU_PROF=<dir> profiles both servers.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { generateFixtures } from '../fixtures/generate.js';
import { projectRoot } from '../helpers/paths.js';
import { MAIN_LISTENING, serverMain, serverNodeFlags } from './lib/ours.js';
import { start, type Tracked } from './lib/proc.js';
import type { Row } from './lib/table.js';
import { median, percentile } from '../helpers/stats.js';

const sizes = [{ remotes: 200, rounds: 300 }, { remotes: 1000, rounds: 120 }];
const bare = fileURLToPath(new URL('./lib/bare-broadcast.js', import.meta.url));

async function connectAll(url: string, n: number, into: Socket[]): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: n }, () => {
      const s = io(url, { transports: ['websocket'], forceNew: true });
      into.push(s);
      return new Promise<Socket>((resolve) => s.once('connect', () => resolve(s)));
    }),
  );
}

interface Timing {
  /** ms until the first remote had it. */
  first: number;
  /** ms until every remote had it. */
  last: number;
}

/** Sends `act` and resolves when every socket saw an `event` accepted by `done`. */
function timeFanOut(sockets: Socket[], event: string, done: (payload: unknown) => boolean, act: () => void): Promise<Timing> {
  return new Promise((resolve) => {
    let left = sockets.length;
    let first = 0;
    const t0 = performance.now();
    for (const s of sockets) {
      const on = (p: unknown) => {
        if (!done(p)) return;
        s.off(event, on);
        first ||= performance.now() - t0;
        if (--left === 0) resolve({ first, last: performance.now() - t0 });
      };
      s.on(event, on);
    }
    act();
  });
}

/** An emulated Chromecast in its own process, as a device is. */
async function startDevice(name: string, procs: Tracked[]): Promise<{ name: string; host: string; port: number; model: string }> {
  const device = start(`chromecast emulator ${name}`, process.execPath, [join(projectRoot, 'dist/receivers/cli.js'), 'chromecast', '--name', name, '--host', '127.0.0.1', '--port', '0', '--no-mdns']);
  procs.push(device);
  return JSON.parse((await device.waitFor(/"event":"listening"/, 10_000)).line) as { name: string; host: string; port: number; model: string };
}

export async function benchFanOut(work: string, progress: (s: string) => void): Promise<Row[]> {
  const fx = await generateFixtures(join(projectRoot, 'test/fixtures/generated'));
  const procs: Tracked[] = [];
  const sockets: Socket[] = [];
  const rows: Row[] = [];
  try {
    // One device each: a volume set on ours would otherwise reach the other's sender too.
    const [emu, refEmu] = await Promise.all([startDevice('Fan TV', procs), startDevice('Reference TV', procs)]);
    const dataDir = join(work, 'fanout-data');
    await mkdir(dataDir, { recursive: true });
    const config = join(dataDir, 'config.json');
    await writeFile(config, JSON.stringify({
      port: 0, host: '127.0.0.1', dataDir, scan: { watch: false }, discovery: { mdns: false }, sendspin: { port: 0 }, auth: { mode: 'lan-open' } /* measures playback, not sign-in */,
      libraries: [{ name: 'Music', path: fx.musicPath, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: emu.name, host: emu.host, port: emu.port, model: emu.model }],
    }));
    const server = start('our server', process.execPath, [...serverNodeFlags(), serverMain, '--config', config], { cwd: projectRoot });
    procs.push(server);
    const ref = start('bare socket.io', process.execPath, [...serverNodeFlags(), bare, refEmu.host, String(refEmu.port)]);
    procs.push(ref);
    const port = /port=(\d+)/.exec((await server.waitFor(MAIN_LISTENING, 30_000)).line)![1];
    const refPort = /port=(\d+)/.exec((await ref.waitFor(/listening port=/, 10_000)).line)![1];
    const scanned = await server.waitFor(/ scan finished /, 60_000);
    // After a scan our server runs two full collections, the second 6 s after it (server/util/
    // release-memory.ts): once per scan, not per command. The rounds start after it (a 25–35 ms pause
    // inside them made the p99 alone), as they would on a server in use.
    const settled = server.waitFor(/ memory settled /, 30_000, server.lines.indexOf(scanned.line));
    let level = 0.5;
    let refLevel = 0.5;
    // The reference broadcasts the very state our remotes got (captured in the warm-up): the same
    // bytes to encode and the same object for each remote to decode.
    let state: Record<string, unknown> = {};
    let round = 0;
    const oursRound = (ours: Socket[]) => {
      const want = (level = level === 0.6 ? 0.3 : 0.6);
      return timeFanOut(ours, 'session', (s) => {
        if (Math.abs((s as { volume: { level: number } }).volume.level - want) >= 1e-6) return false;
        state = s as Record<string, unknown>;
        return true;
      }, () => ours[0]!.emit('playback:volume', { receiver: emu.name, level: want }, () => undefined));
    };
    /** `cast`: the reference (its device's round trip first); else a bare broadcast. */
    const bareRound = (plain: Socket[], cast: boolean) => {
      const payload = { ...state, round: ++round };
      const done = (p: unknown) => (p as { round: number }).round === payload.round;
      if (!cast) return timeFanOut(plain, 'state', done, () => plain[0]!.emit('cmd', payload, () => undefined));
      refLevel = refLevel === 0.6 ? 0.3 : 0.6;
      return timeFanOut(plain, 'state', done, () => plain[0]!.emit('cmd-cast', payload, refLevel, (err?: string) => err && progress(`fan-out: reference: ${err}`)));
    };
    for (const { remotes: n, rounds } of sizes) {
      progress(`fan-out: connecting ${n} remotes to ours and ${n} to a bare Socket.IO server`);
      const ours = await connectAll(`http://127.0.0.1:${port}`, n, sockets);
      const plain = await connectAll(`http://127.0.0.1:${refPort}`, n, sockets);
      if (n === sizes[0]!.remotes) {
        // Playing, then paused: no position or end-of-track pushes between the measured ones.
        await new Promise((resolve) => ours[0]!.emit('playback:play', { receiver: emu.name, what: 'First Album' }, resolve));
        await new Promise((resolve) => ours[0]!.emit('playback:pause', { receiver: emu.name }, resolve));
      }
      await settled;
      await oursRound(ours); // warm-up, and the state the reference sends
      await bareRound(plain, true);
      await bareRound(plain, false);
      const payloadSize = JSON.stringify(state).length;
      // Every push one remote of ours gets over the measured rounds: one per command is the least.
      let pushes = 0;
      const countPush = () => void pushes++;
      ours[1]!.onAny(countPush);
      const oursT: Timing[] = [];
      const refT: Timing[] = [];
      const bareT: Timing[] = [];
      // Each kind goes first, second and third equally often.
      const kinds = [async () => oursT.push(await oursRound(ours)), async () => refT.push(await bareRound(plain, true)), async () => bareT.push(await bareRound(plain, false))];
      for (let i = 0; i < rounds; i++) for (let k = 0; k < 3; k++) await kinds[(i + k) % 3]!();
      ours[1]!.offAny(countPush);
      for (const s of [...ours, ...plain]) s.close();
      const last = (t: Timing[]) => t.map((x) => x.last);
      const spread = (t: Timing[]) => median(t.map((x) => x.last - x.first)).toFixed(1);
      const first = (t: Timing[]) => median(t.map((x) => x.first)).toFixed(1);
      const vsBare = (f: (xs: number[]) => number) => `${f(last(bareT)).toFixed(1)} ms (ours/bare ${(f(last(oursT)) / f(last(bareT))).toFixed(2)}×)`;
      const note = `${n} remotes, ${rounds} commands, ${payloadSize} B per state, ${(pushes / rounds).toFixed(2)} pushes per command to each of our remotes; reference: a bare Socket.IO server that sets its own emulated Chromecast's volume (castv2-client SET_VOLUME, answered) and then broadcasts the same state; `
        + `a bare broadcast without any device, same run: median ${vsBare(median)}, p99 ${vsBare((xs) => percentile(xs, 99))}; `
        + `median command → first remote: ours ${first(oursT)} ms, reference ${first(refT)} ms, bare broadcast ${first(bareT)} ms; first → last remote: ours ${spread(oursT)}, reference ${spread(refT)}, bare broadcast ${spread(bareT)} ms`;
      const refName = 'bare socket.io + the same Cast round trip';
      rows.push(
        { section: 'fan-out', metric: `command → last of ${n} remotes has the state, median of ${rounds}`, unit: 'ms', better: 'lower', ours: median(last(oursT)), ref: median(last(refT)), refName, note },
        { section: 'fan-out', metric: `command → last of ${n} remotes has the state, p99 of ${rounds}`, unit: 'ms', better: 'lower', ours: percentile(last(oursT), 99), ref: percentile(last(refT), 99), refName },
      );
    }
    return rows;
  } finally {
    for (const s of sockets) s.close();
    await Promise.all(procs.map((p) => p.stop()));
  }
}
