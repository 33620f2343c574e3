// Thousands of malformed messages on one socket: each gets an error reply naming the problem,
// and the server keeps serving another remote meanwhile.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, type Ack } from '../../../server/api/messages.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

let server: RunningServer;
const sockets: Socket[] = [];

async function connect(): Promise<Socket> {
  const s = io(server.url, { transports: ['websocket'], reconnection: false });
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

beforeAll(async () => {
  server = await startServer({ config: { libraries: [], discovery: { mdns: false, heartbeatSeconds: 60 }, scan: { watch: false } } });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
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
  });
});
