// Fan-out: with 200 remotes connected, how long from a command until the last remote has the
// new state (median and p99 of 30 commands), beside a bare Socket.IO broadcast of a payload of
// the same size in the same run. Our figure includes the Cast round trip (SET_VOLUME to an
// emulated Chromecast, which answers before the state is pushed).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { startCastEmulator } from '../../receivers/chromecast/emulator.js';
import { generateFixtures } from '../fixtures/generate.js';
import { projectRoot } from '../helpers/paths.js';
import { MAIN_LISTENING } from './lib/ours.js';
import { start, type Tracked } from './lib/proc.js';
import type { Row } from './lib/table.js';

const remotes = 200;
const rounds = 30;
const bare = fileURLToPath(new URL('./lib/bare-broadcast.js', import.meta.url));

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function connectAll(url: string): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: remotes }, () => {
      const s = io(url, { transports: ['websocket'], forceNew: true });
      return new Promise<Socket>((resolve) => s.once('connect', () => resolve(s)));
    }),
  );
}

/** Sends `act` and resolves with ms until every socket saw an `event` accepted by `done`. */
function timeFanOut(sockets: Socket[], event: string, done: (payload: unknown) => boolean, act: () => void): Promise<number> {
  return new Promise((resolve) => {
    let left = sockets.length;
    const t0 = performance.now();
    for (const s of sockets) {
      const on = (p: unknown) => {
        if (!done(p)) return;
        s.off(event, on);
        if (--left === 0) resolve(performance.now() - t0);
      };
      s.on(event, on);
    }
    act();
  });
}

export async function benchFanOut(work: string, progress: (s: string) => void): Promise<Row[]> {
  const fx = await generateFixtures(join(projectRoot, 'test/fixtures/generated'));
  const emu = await startCastEmulator({ name: 'Fan TV', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  const dataDir = join(work, 'fanout-data');
  await mkdir(dataDir, { recursive: true });
  const config = join(dataDir, 'config.json');
  await writeFile(config, JSON.stringify({
    port: 0, host: '127.0.0.1', dataDir, scan: { watch: false }, discovery: { mdns: false }, sendspin: { port: 0 }, auth: { mode: 'lan-open' } /* measures playback, not sign-in */,
    libraries: [{ name: 'Music', path: fx.musicPath, kind: 'music' }],
    receivers: [{ kind: 'chromecast', name: emu.name, host: emu.host, port: emu.port, model: emu.model }],
  }));
  const procs: Tracked[] = [];
  const sockets: Socket[] = [];
  try {
    const server = start('our server', process.execPath, [join(projectRoot, 'dist/server/main.js'), '--config', config], { cwd: projectRoot });
    procs.push(server);
    const port = /port=(\d+)/.exec((await server.waitFor(MAIN_LISTENING, 30_000)).line)![1];
    await server.waitFor(/ scan finished /, 60_000);
    progress(`fan-out: connecting ${remotes} remotes`);
    const ours = await connectAll(`http://127.0.0.1:${port}`);
    sockets.push(...ours);
    const control = ours[0]!;
    await new Promise((resolve) => control.emit('playback:play', { receiver: emu.name, what: 'First Album' }, resolve));
    let payloadSize = 0;
    const oursMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const level = i % 2 ? 0.3 : 0.6;
      oursMs.push(await timeFanOut(ours, 'session', (s) => {
        const ok = Math.abs((s as { volume: { level: number } }).volume.level - level) < 1e-6;
        if (ok) payloadSize = JSON.stringify(s).length;
        return ok;
      }, () => control.emit('playback:volume', { receiver: emu.name, level }, () => undefined)));
    }
    for (const s of ours) s.close();

    const ref = start('bare socket.io', process.execPath, [bare]);
    procs.push(ref);
    const refPort = /port=(\d+)/.exec((await ref.waitFor(/listening port=/, 10_000)).line)![1];
    progress(`fan-out: ${remotes} remotes on a bare Socket.IO server`);
    const plain = await connectAll(`http://127.0.0.1:${refPort}`);
    sockets.push(...plain);
    const refMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const payload = { round: i, pad: 'x'.repeat(Math.max(0, payloadSize - 30)) };
      refMs.push(await timeFanOut(plain, 'state', (p) => (p as { round: number }).round === i, () => plain[0]!.emit('cmd', payload, () => undefined)));
    }
    const note = `${remotes} remotes, ${rounds} commands, ~${payloadSize} B per state`;
    return [
      { section: 'fan-out', metric: 'command → last remote has the state, median', unit: 'ms', better: 'lower', ours: percentile(oursMs, 50), ref: percentile(refMs, 50), refName: 'bare socket.io broadcast', note },
      { section: 'fan-out', metric: 'command → last remote has the state, p99', unit: 'ms', better: 'lower', ours: percentile(oursMs, 99), ref: percentile(refMs, 99), refName: 'bare socket.io broadcast' },
    ];
  } finally {
    for (const s of sockets) s.close();
    await Promise.all(procs.map((p) => p.stop()));
    await emu.close();
  }
}
