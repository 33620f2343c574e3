// The Socket.IO edge of the real server: a snapshot on connect, every malformed or unknown
// command answered with an error naming the problem, and the server still serving afterwards.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../../server/api/messages.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

let server: RunningServer;
let socket: Socket;
let snapshot: Promise<Record<string, unknown>>;

function send(event: string, ...args: unknown[]): Promise<Ack> {
  return new Promise((resolve) => socket.emit(event, ...args, resolve));
}

beforeAll(async () => {
  server = await startServer({
    config: { libraries: [], receivers: [{ kind: 'chromecast', name: 'Nowhere TV', host: '127.0.0.1', port: 9 }], discovery: { mdns: false, heartbeatSeconds: 60 }, scan: { watch: false } },
  });
  socket = server.io();
  snapshot = new Promise((resolve) => socket.once('snapshot', (s: Record<string, unknown>) => resolve(s)));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
});

afterAll(async () => {
  socket?.close();
  await server?.stop();
});

describe('socket API edge', () => {
  it('sends a full snapshot to a new remote', async () => {
    expect(await snapshot).toMatchObject({ receivers: [expect.objectContaining({ name: 'Nowhere TV' })], sessions: [], library: expect.objectContaining({ tracks: 0 }) });
  });

  it.each([
    [['playback:seek', { receiver: 'Nowhere TV', position: 'ten' }], /"position": .*number/],
    [['playback:seek', { receiver: 'Nowhere TV' }], /"position"/],
    [['playback:volume', { receiver: 'Nowhere TV', level: 7 }], /"level"/],
    [['playback:play', { receiver: 'x'.repeat(5000), what: [1] }], /"receiver"/],
    [['playback:play', { receiver: 'Nowhere TV', what: [] }], /"what"/],
    [['playback:pause', { receiver: 'Nowhere TV', extra: 1 }], /unknown field "extra"/],
    [['playback:pause', 'not an object'], /expected object/],
    [['no:such:command', {}], /unknown command "no:such:command"/],
    [['playback:pause', { receiver: 'Kitchen' }], /unknown receiver "Kitchen"/],
    [['playback:pause', { receiver: 'Nowhere TV' }], /nothing is playing/],
    [['playback:play', { receiver: 'Nowhere TV', what: 'anything' }], /nothing in the library matches "anything"/],
  ])('%j is answered with an error', async ([event, args], error) => {
    const ack = await send(event as string, args);
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(error) });
  });

  it('answers a command without an acknowledgement callback on the socket itself', async () => {
    const reply = new Promise((resolve) => socket.once('command:error', resolve));
    socket.emit('playback:seek', { receiver: 1 });
    expect(await reply).toMatchObject({ ok: false, error: expect.stringMatching(/receiver/) });
  });

  it('answers a successful command sent without an acknowledgement callback with nothing', async () => {
    const heard: unknown[] = [];
    const onError = (a: unknown) => heard.push(a);
    socket.on('command:error', onError);
    try {
      socket.emit('receivers:list', {});
      socket.emit('playback:status', {});
      // Handled in order: once this one's answer is here, the two before it have been answered too.
      expect(await send('receivers:list', {})).toMatchObject({ ok: true });
      const failed = new Promise((resolve) => socket.once('command:error', resolve));
      socket.emit('playback:pause', { receiver: 'Kitchen' });
      await failed;
      expect(heard).toEqual([{ ok: false, error: 'unknown receiver "Kitchen"' }]);
    } finally {
      socket.off('command:error', onError);
    }
  });

  it('still serves commands and HTTP after all that', async () => {
    expect(await send('receivers:list', {})).toMatchObject({ ok: true, data: [expect.objectContaining({ name: 'Nowhere TV' })] });
    expect((await server.get('/api/health')).status).toBe(200);
  });
});
