// Live state fan-out over real Socket.IO on loopback: a change is serialized once however many
// remotes are connected (counted by the payload's toJSON, which Socket.IO's encoder calls), once
// per distinct payload when views differ, and a remote that never reads delays nobody.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StateFanOut } from '../../../server/api/state-fanout.js';
import type { Role, Session } from '../../../server/auth/types.js';

let http: HttpServer;
let io: Server;
const clients: Socket[] = [];
const raws: WebSocket[] = [];

/** A real Socket.IO server whose remotes say their role in the handshake (the auth edge has its own tests). */
async function serve(): Promise<{ fan: StateFanOut; url: string }> {
  http = createServer();
  io = new Server(http, { serveClient: false });
  io.use((socket, next) => {
    const role = (socket.handshake.auth as { role?: Role }).role ?? 'owner';
    const session: Session = { user: { id: 1, name: role, role, hasPassword: false, createdAt: 0, libraries: role === 'guest' ? ['Music'] : null, receivers: [] }, device: null };
    socket.data.session = session;
    next();
  });
  const fan = new StateFanOut(io);
  io.on('connection', (s) => fan.add(s));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { fan, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function remotes(url: string, n: number, role: Role = 'owner'): Promise<Socket[]> {
  const list = await Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve) => {
    const s = connect(url, { transports: ['websocket'], forceNew: true, auth: { role } });
    clients.push(s);
    s.once('connect', () => resolve(s));
  })));
  // The server has run its connection handler (rooms joined) once a first push reaches them all.
  return list;
}

/** A state whose serializations are counted: Socket.IO's encoder calls toJSON on it. */
function counted(state: object): { payload: object; calls: () => number } {
  let n = 0;
  return { payload: { ...state, toJSON: () => (n++, state) }, calls: () => n };
}

/** Resolves when every socket has had `count` `event`s; with the payloads each got. */
function receive(sockets: Socket[], event: string, count: number): Promise<unknown[][]> {
  return Promise.all(sockets.map((s) => new Promise<unknown[]>((resolve) => {
    const got: unknown[] = [];
    const on = (p: unknown) => {
      got.push(p);
      if (got.length === count) (s.off(event, on), resolve(got));
    };
    s.on(event, on);
  })));
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of raws.splice(0)) r.terminate();
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
});

describe('state fan-out', () => {
  it('serializes a change once, with 1 remote as with 60', async () => {
    const { fan, url } = await serve();
    const perChange: number[] = [];
    for (const n of [1, 60]) {
      const all = await remotes(url, n);
      const state = counted({ receiverId: 'tv', volume: { level: 0.5 } });
      const got = receive(all, 'session', 1);
      fan.publishAll('session', state.payload);
      expect((await got).every(([p]) => (p as { volume: { level: number } }).volume.level === 0.5)).toBe(true);
      perChange.push(state.calls());
      for (const c of clients.splice(0)) c.close();
    }
    expect(perChange[0]).toBeGreaterThan(0);
    expect(perChange[1]).toBe(perChange[0]);
  });

  it('builds once per view, and views given the same payload share one serialization', async () => {
    const { fan, url } = await serve();
    const owners = await remotes(url, 20, 'owner');
    const guests = await remotes(url, 20, 'guest');
    const same = counted({ v: 1 });
    const built: string[] = [];
    let got = receive([...owners, ...guests], 'library', 1);
    fan.publish('library', (view) => (built.push(view.role), same.payload));
    await got;
    expect(built.sort()).toEqual(['guest', 'owner']);
    const once = same.calls();

    const forOwner = counted({ v: 'owner' });
    const forGuest = counted({ v: 'guest' });
    got = receive([...owners, ...guests], 'library', 1);
    fan.publish('library', (view) => (view.role === 'guest' ? forGuest.payload : forOwner.payload));
    const payloads = await got;
    expect(payloads.slice(0, 20).every(([p]) => (p as { v: string }).v === 'owner')).toBe(true);
    expect(payloads.slice(20).every(([p]) => (p as { v: string }).v === 'guest')).toBe(true);
    expect([forOwner.calls(), forGuest.calls()]).toEqual([once, once]);
  });

  it('a remote that never reads does not keep the others from every state', async () => {
    const { fan, url } = await serve();
    // A raw Engine.IO/Socket.IO client that connects, then stops reading its TCP socket.
    const stalled = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    raws.push(stalled);
    await new Promise<void>((resolve) => stalled.on('message', (m) => {
      const text = String(m);
      if (text.startsWith('0')) stalled.send('40{"role":"owner"}');
      if (text.startsWith('40')) resolve();
    }));
    const tcp = (stalled as unknown as { _socket: import('node:net').Socket })._socket;
    tcp.pause();
    const others = await remotes(url, 5);
    const rounds = 200;
    const pad = 'x'.repeat(64 * 1024); // 200 × 64 KiB: far past what the stalled socket's buffers hold
    const got = receive(others, 'session', rounds);
    for (let i = 0; i < rounds; i++) fan.publishAll('session', { round: i, pad });
    const all = await got;
    for (const list of all) expect(list.map((p) => (p as { round: number }).round)).toEqual(Array.from({ length: rounds }, (_, i) => i));
    // The stalled remote is still connected and still behind: it really did not read.
    expect(stalled.readyState).toBe(WebSocket.OPEN);
    expect(tcp.readableLength + (tcp as unknown as { bytesRead: number }).bytesRead).toBeLessThan(rounds * pad.length);
  });
});
