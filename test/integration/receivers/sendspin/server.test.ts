// SendspinServer over real sockets on loopback: the handshake, the clock exchange, client state,
// controller commands and goodbye; the endpoint on the main HTTP server (same origin only); and
// what a member sends a player (stream/start, stamped chunks within buffer_capacity, stream/clear,
// stream/end, volume, metadata).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SAMPLE_RATE } from '../../../../receivers/airplay/raop/clock.js';
import { SendspinServer, type SendspinCommand } from '../../../../receivers/sendspin/server.js';
import { serverMicros } from '../../../../receivers/shared/server-clock.js';
import type { ReceiverDescriptor } from '../../../../receivers/types.js';
import { beepTrack, newContext, paceOnTimeline } from './fixture.js';
import { helloPayload, rawClient, type RawClient } from './raw-client.js';

let server: SendspinServer;
let url: string;
const clients: RawClient[] = [];

beforeEach(async () => {
  server = new SendspinServer({ id: 'hc-1', name: 'Homecast' });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  url = `ws://127.0.0.1:${port}/sendspin`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server.close();
});

async function connect(id: string, o: Parameters<typeof helloPayload>[1] = {}): Promise<RawClient> {
  const c = await rawClient(url);
  clients.push(c);
  c.send('client/hello', helloPayload(id, o));
  await c.next('server/hello');
  return c;
}

describe('Sendspin server: handshake and messages', () => {
  it('answers client/hello with server/hello, lists the player and tells the controller what it takes', async () => {
    const players: ReceiverDescriptor[] = [];
    server.on('player', (d) => players.push(d));
    const c = await rawClient(url);
    clients.push(c);
    c.send('client/hello', { ...helloPayload('kitchen'), supported_roles: ['player@v2', 'player@v1', 'controller@v1', '_x@v1'] });
    expect((await c.next('server/hello')).payload).toEqual({ server_id: 'hc-1', name: 'Homecast', version: 1, active_roles: ['player@v1', 'controller@v1'], connection_reason: 'discovery' });
    const state = await c.next('server/state');
    expect(state.payload.controller).toMatchObject({ volume: 100, muted: false, supported_commands: expect.arrayContaining(['play', 'pause', 'next', 'volume']) });
    expect(players).toEqual([expect.objectContaining({ id: 'sendspin:kitchen', kind: 'sendspin', type: 'speaker', name: 'Client kitchen', source: 'sendspin', online: true, host: '127.0.0.1' })]);
    expect(server.players().map((p) => p.id)).toEqual(['sendspin:kitchen']);
  });

  it('answers client/time with the server clock in µs (received ≤ transmitted)', async () => {
    const c = await connect('t');
    const before = serverMicros();
    c.send('client/time', { client_transmitted: 42 });
    const t = (await c.next('server/time')).payload;
    const after = serverMicros();
    expect(t.client_transmitted).toBe(42);
    expect(t.server_received).toBeGreaterThanOrEqual(before);
    expect(t.server_transmitted).toBeGreaterThanOrEqual(t.server_received);
    expect(t.server_transmitted).toBeLessThanOrEqual(after);
  });

  it('emits controller commands and player volume; a goodbye ends the player', async () => {
    const commands: SendspinCommand[] = [];
    const volumes: unknown[] = [];
    server.on('command', (c) => commands.push(c));
    server.on('playerVolume', (...v) => volumes.push(v));
    const c = await connect('lounge');
    c.send('client/state', { state: 'synchronized', player: { volume: 35, muted: true } });
    c.send('client/command', { controller: { command: 'pause' } });
    c.send('client/command', { controller: { command: 'volume', volume: 60 } });
    c.send('client/command', { controller: { command: 'switch' } }); // not supported: ignored
    const gone = new Promise((resolve) => server.once('playerGone', (...a) => resolve(a)));
    c.send('client/goodbye', { reason: 'shutdown' });
    expect(await gone).toEqual(['sendspin:lounge', 'shutdown']);
    expect((await c.closed).code).toBe(1000);
    expect(volumes).toEqual([['sendspin:lounge', 35, true]]);
    expect(commands).toEqual([
      { playerId: 'sendspin:lounge', command: 'pause', params: {} },
      { playerId: 'sendspin:lounge', command: 'volume', params: { volume: 60 } },
    ]);
    expect(server.players()).toEqual([]);
  });

  it('a client reconnecting with the same client_id replaces its old connection', async () => {
    const old = await connect('same');
    await connect('same');
    expect((await old.closed).reason).toMatch(/replaced/);
    expect(server.players().map((p) => p.id)).toEqual(['sendspin:same']);
  });
});

describe('Sendspin server on the main HTTP server', () => {
  let http: Server;
  let base: string;
  beforeEach(async () => {
    http = createServer();
    // Another upgrade handler on the same server (socket.io's) must still get its paths.
    http.on('upgrade', (req, socket) => {
      if (req.url === '/other') socket.end('HTTP/1.1 418 Teapot\r\nContent-Length: 0\r\n\r\n');
    });
    server.attach(http, { allowOrigin: (o) => o === undefined || o === 'http://home.local:8080' });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  const status = (path: string, origin?: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${base}${path}`, origin ? { origin } : {});
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => {});
    });

  it('takes /sendspin from the same origin, refuses others with 403, leaves other paths alone', async () => {
    expect(await status('/sendspin', 'http://home.local:8080')).toBe(101);
    expect(await status('/sendspin', 'http://evil.example')).toBe(403);
    expect(await status('/other', 'http://evil.example')).toBe(418);
    const c = await rawClient(`${base}/sendspin`, { origin: 'http://home.local:8080' });
    clients.push(c);
    c.send('client/hello', helloPayload('phone'));
    await c.next('server/hello');
    expect(server.players().map((p) => p.id)).toEqual(['sendspin:phone']);
  });
});

describe('Sendspin member', () => {
  it('refuses a player that is not connected, or takes no PCM 44.1 kHz, with a clear error', async () => {
    expect(() => server.member('sendspin:nobody', newContext())).toThrow('Sendspin player sendspin:nobody is not connected');
    await connect('opus-only', { formats: [{ codec: 'opus', sample_rate: 48000, channels: 2, bit_depth: 16 }] });
    expect(() => server.member('sendspin:opus-only', newContext())).toThrow('Sendspin player Client opus-only does not take pcm 44100 Hz 16-bit 2 ch (it lists opus 48000 Hz 16-bit 2 ch)');
  });

  it('starts the stream, stamps each chunk with its play time and keeps what the player holds within its buffer_capacity', { timeout: 20_000 }, async () => {
    const capacity = 50_000; // 0.28 s of audio
    const c = await connect('small', { capacity });
    const ctx = newContext(100);
    const m = server.member('sendspin:small', ctx, { delayMs: 5 });
    const track = beepTrack(1.5);
    await paceOnTimeline([m], track, ctx);
    const lastPlayUs = Number(ctx.timeline.nsAtFrames(track.length / 4 + ctx.latency) / 1000n) + 5000;
    while (c.chunks.reduce((n, ch) => n + ch.data.length, 0) < track.length) {
      expect(serverMicros()).toBeLessThan(lastPlayUs + 1_000_000);
      await new Promise((r) => c.ws.once('message', r));
    }
    expect((await c.next('stream/start')).payload).toEqual({ player: { codec: 'pcm', sample_rate: 44100, channels: 2, bit_depth: 16 } });
    expect(Buffer.concat(c.chunks.map((ch) => ch.data)).equals(track)).toBe(true);
    let frame = 0;
    for (const ch of c.chunks) {
      expect(ch.type).toBe(4);
      const expected = Number((ctx.timeline.nsAtFrames(frame + ctx.latency) + 500n) / 1000n) + 5000;
      expect(ch.timestampUs).toBe(expected);
      frame += ch.data.length / 4;
      // What the player holds (received, not yet played out) never exceeds its buffer_capacity.
      const held = c.chunks.filter((o) => o.receivedUs <= ch.receivedUs && o.timestampUs + (o.data.length / 4 / SAMPLE_RATE) * 1e6 > ch.receivedUs);
      expect(held.reduce((n, o) => n + o.data.length, 0)).toBeLessThanOrEqual(capacity);
    }
    await m.flush(0);
    expect((await c.next('stream/clear')).payload).toEqual({ roles: ['player'] });
    await m.setVolume(0.4, true);
    const cmds = [await c.next('server/command'), await c.next('server/command')].map((x) => x.payload.player);
    expect(cmds).toEqual([{ command: 'volume', volume: 40 }, { command: 'mute', mute: true }]);
    m.nowPlaying!({ frame: 0, position: 12, duration: 200, title: 'Song', artist: 'Band', album: 'LP' });
    const meta = (await c.next('server/state')).payload.metadata;
    expect(meta).toMatchObject({ title: 'Song', artist: 'Band', album: 'LP', timestamp: Number((ctx.timeline.nsAtFrames(ctx.latency) + 500n) / 1000n) + 5000, progress: { track_progress: 12_000, track_duration: 200_000, playback_speed: 1000 } });
    await m.stop();
    await c.next('stream/end');
  });

  it('emits error when its player disconnects', async () => {
    const c = await connect('leaver');
    const m = server.member('sendspin:leaver', newContext());
    const err = new Promise<Error>((resolve) => m.once('error', resolve));
    c.ws.terminate();
    expect((await err).message).toMatch(/^Sendspin player Client leaver left/);
  });
});
