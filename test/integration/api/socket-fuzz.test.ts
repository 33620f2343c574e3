// Thousands of malformed messages on one socket: each gets an error reply naming the problem,
// and the server keeps serving another remote meanwhile. Then well-formed commands that a real
// (software) Chromecast and the queue refuse: answered with the reason, and none of these routine
// refusals is logged as an error.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import { commands, type Ack } from '../../../server/api/messages.js';
import { copyFixtureLibrary } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

let server: RunningServer;
let emu: CastEmulator;
const sockets: Socket[] = [];

async function connect(): Promise<Socket> {
  const s = server.io();
  sockets.push(s);
  await new Promise<void>((resolve) => s.once('connect', () => resolve()));
  return s;
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

const junk: unknown[] = [null, 0, -1, 1e308, NaN, '', 'x'.repeat(300_000), [], [1, 'a'], {}, { __proto__: { receiver: 'x' } }, true, { receiver: 42 }, { receiver: '' }, { receiver: 'TV', position: -5 }, { receiver: 'TV', level: '0.5' }, { receiver: 'TV', what: [0] }, { receiver: 'TV', what: {} }, { receiver: 'TV', entryId: 1.5 }, { receiver: 'TV', mode: 'sometimes' }];

function malformed(r: () => number): [string, unknown] {
  const names = Object.keys(commands);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const choice = r();
  if (choice < 0.2) return [`no-such-${Math.floor(r() * 1000)}`, pick(junk)];
  const name = pick(names);
  if (choice < 0.6) return [name, pick(junk)];
  // A valid-looking message with one field broken or one extra.
  return [name, { receiver: 'TV', [pick(['position', 'level', 'what', 'entryId', 'to', 'mode', 'muted', 'on', 'q', 'zzz'])]: pick(junk) }];
}

/** Server log lines at error level. */
const errorLines = () => server.lines.filter((l) => /^\S+ error /.test(l));

beforeAll(async () => {
  const lib = await copyFixtureLibrary();
  emu = await startCastEmulator({ name: 'TV', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: 'TV', host: emu.host, port: emu.port, model: 'Google Home', type: 'speaker' }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  await emu?.close();
});

describe('socket fuzz', () => {
  it('answers 3,000 malformed messages with errors and keeps serving', async () => {
    const bad = await connect();
    const good = await connect();
    const r = rng(7);
    const replies: Promise<Ack>[] = [];
    for (let i = 0; i < 3000; i++) {
      let [event, args] = malformed(r);
      // Only messages the schema refuses (a valid one is not malformed, e.g. receivers:list {}).
      // Judged as the server gets it: after JSON (NaN becomes null, a prototype is dropped).
      const wire = (x: unknown) => (x === undefined ? x : JSON.parse(JSON.stringify(x)) as unknown);
      while (event in commands && commands[event as keyof typeof commands].safeParse(wire(args) ?? {}).success) [event, args] = malformed(r);
      replies.push(new Promise((resolve) => bad.timeout(30_000).emit(event, args, (err: Error | null, ack: Ack) => resolve(err ? { ok: false, error: `timeout: ${err.message}` } : ack))));
      if (i % 500 === 0) expect(await new Promise<Ack>((resolve) => good.emit('receivers:list', {}, resolve))).toMatchObject({ ok: true });
    }
    const all = await Promise.all(replies);
    const notErrors = all.filter((a) => a.ok);
    expect(notErrors).toEqual([]);
    expect(all.filter((a) => !a.ok && a.error.startsWith('timeout'))).toEqual([]);
    expect(all.every((a) => !a.ok && a.error.length > 0 && a.error.length < 500)).toBe(true);
    expect(await new Promise<Ack>((resolve) => good.emit('playback:status', {}, resolve))).toMatchObject({ ok: true });
    expect((await server.get('/api/health')).status).toBe(200);
    expect(errorLines()).toEqual([]);
  });

  it('answers commands the receiver or the queue refuses with the reason, logging none as an error', async () => {
    const s = await connect();
    const send = (event: string, args: unknown) => new Promise<Ack>((resolve) => s.emit(event, args, resolve));
    const playing = new Promise((resolve) => emu.events.once('playing', resolve));
    expect(await send('playback:play', { receiver: 'TV', what: 'Tagged' })).toMatchObject({ ok: true });
    await playing;
    expect(await send('playback:stop', { receiver: 'TV' })).toMatchObject({ ok: true });
    // The session still has its item, the device has nothing loaded: the device's refusals (a
    // resume is no refusal: it loads the item again where it stopped).
    const refused: [string, unknown, RegExp][] = [
      ['playback:pause', { receiver: 'TV' }, /nothing is loaded on TV/],
      ['playback:seek', { receiver: 'TV', position: 1 }, /nothing is loaded on TV/],
      ['queue:jump', { receiver: 'TV', entryId: 9999 }, /no queue entry 9999/],
      ['queue:remove', { receiver: 'TV', entryId: 9999 }, /no queue entry 9999/],
      ['playback:play', { receiver: 'TV', what: 'no such thing anywhere' }, /nothing in the library matches/],
      ['playback:pause', { receiver: 'Kitchen' }, /unknown receiver "Kitchen"/],
    ];
    for (let round = 0; round < 10; round++) {
      for (const [event, args, error] of refused) expect(await send(event, args), event).toEqual({ ok: false, error: expect.stringMatching(error) });
    }
    expect(errorLines()).toEqual([]);
    // Refusals are still in the log, at info level, for whoever looks into what a person tried.
    expect(server.lines.some((l) => / info command refused command=playback:pause reason="nothing is loaded on TV"/.test(l))).toBe(true);
  });
});
