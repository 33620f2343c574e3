// Accounts at the real server's edges. The REST routes are read from the app's own router (a
// route added without a check makes the first test fail) and the Socket.IO commands from
// messages.ts; every one is refused without a session. Members and guests are refused what is
// the owner's; a pairing link works once; failed sign-ins back off per address; a revoked device
// is refused at once and its open socket closed; photo GPS goes to the owner only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { PUBLIC_ROUTES } from '../../../server/auth/http.js';
import { commandRoles } from '../../../server/api/command-roles.js';
import { commands, type Ack } from '../../../server/api/messages.js';
import { createSigner } from '../../../server/media/signing.js';
import { createLogger } from '../../../server/util/log.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { OWNER, scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

const TV = 'Nowhere TV';
let lib: LibraryCopy;
let server: RunningServer;
const sockets: Socket[] = [];

/** Every route of the app as built by createApp: method and path (sub-routers flattened). */
function appRoutes(): { method: string; path: string }[] {
  const log = createLogger('error', () => undefined);
  const app = createApp({
    log,
    auth: {} as never,
    receivers: { list: () => [] } as never,
    uiDir: join(tmpdir(), 'hc-no-ui'),
    addresses: async () => ({ urls: [], host: '127.0.0.1', loopbackOnly: true }),
    library: { queries: {} as never, scanner: {} as never, signer: {} as never, version: '0', libraries: [] },
    media: { signer: createSigner({ secret: Buffer.alloc(32), ttlSeconds: 60 }), log, artDir: mkdtempSync(join(tmpdir(), 'hc-art-')), artMime: () => undefined, fileById: () => undefined, ffmpegPath: 'true', ffprobePath: 'true', hls: {} as never },
    settings: { settings: {} as never, dataDir: tmpdir() },
  });
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]): { method: string; path: string }[] =>
    stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => ({ method: m.toUpperCase(), path: l.route!.path })) : l.handle?.stack ? walk(l.handle.stack) : []));
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

async function call(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  return fetch(server.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function json<T = Record<string, unknown>>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

function connect(token: string | undefined): Promise<Socket> {
  const s = server.io(token ? { auth: { token } } : { auth: {} });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const send = (s: Socket, event: string, args: unknown = {}): Promise<Ack> => new Promise((resolve) => s.emit(event, args, resolve));

/** A user the owner made, signed in with its password: its device token. */
async function userToken(name: string, role: 'member' | 'guest'): Promise<{ id: number; token: string }> {
  const made = await json<{ id: number }>(call('POST', '/api/auth/users', server.token, { name, role, password: `${name}-password` }));
  const signed = await json<{ token: string }>(call('POST', '/api/auth/login', undefined, { name, password: `${name}-password`, bearer: true }));
  return { id: made.id, token: signed.token };
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  server = await startServer({
    config: {
      libraries: [{ name: 'Photos', path: lib.photos, kind: 'photo' }, { name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: TV, host: '127.0.0.1', port: 9 }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

describe('without a session', () => {
  it('every REST route of the app is refused (401), but the few that sign in', async () => {
    const routes = appRoutes().filter((r) => r.path.startsWith('/api/'));
    // The router was read: the routes this file knows of are among them.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /api/library/tracks', 'POST /api/library/rescan', 'GET /api/receivers', 'GET /api/server', 'DELETE /api/auth/devices/:id', 'PATCH /api/settings', 'GET /api/settings/folders', ...PUBLIC_ROUTES]));
    const checked = routes.filter((r) => !PUBLIC_ROUTES.includes(`${r.method} ${r.path}`));
    expect(checked.length).toBeGreaterThan(12);
    const answers = await Promise.all(checked.map(async (r) => [`${r.method} ${r.path}`, (await call(r.method, r.path.replace(/:\w+/g, '1'))).status]));
    expect(answers).toEqual(checked.map((r) => [`${r.method} ${r.path}`, 401]));
    // A token nobody was given is no session either.
    expect((await call('GET', '/api/library/tracks', 'x'.repeat(43))).status).toBe(401);
    // The media stays reachable by its signed URL alone (receivers cannot sign in), never unsigned.
    expect((await call('GET', '/media/1')).status).toBe(403);
  });

  it('the Socket.IO handshake is refused, so no command of messages.ts reaches the server', async () => {
    await expect(connect(undefined)).rejects.toThrow(/sign in first/);
    await expect(connect('x'.repeat(43))).rejects.toThrow(/sign in first/);
    // Every command has a role (the table is checked against messages.ts).
    expect(Object.keys(commandRoles).sort()).toEqual(Object.keys(commands).sort());
  });

  it('the state route says who is signed in, and nothing of the library', async () => {
    expect(await json(call('GET', '/api/auth/state'))).toEqual({ mode: 'accounts', setupNeeded: false, user: null, device: null });
    expect(await json(call('GET', '/api/auth/state', server.token))).toMatchObject({ user: { name: OWNER.name, role: 'owner' } });
  });
});

describe('roles', () => {
  it('a member and a guest are refused every command above their role; the owner is not', async () => {
    const member = await connect((await userToken('Maya', 'member')).token);
    const guest = await connect((await userToken('Gus', 'guest')).token);
    const owner = await connect(server.token);
    for (const [command, role] of Object.entries(commandRoles)) {
      const [m, g, o] = await Promise.all([send(member, command), send(guest, command), send(owner, command)]);
      if (role === 'owner') expect([command, m]).toEqual([command, { ok: false, error: `${command}: only the owner may do that` }]);
      else expect([command, m.ok || m.error]).not.toEqual([command, expect.stringMatching(/may do that/)]);
      if (role !== 'guest') expect([command, g]).toEqual([command, { ok: false, error: `${command}: only ${role === 'owner' ? 'the owner' : 'members'} may do that` }]);
      // The owner's commands get past the roles (and are then validated: {} is not enough for most).
      expect([command, o.ok || o.error]).not.toEqual([command, expect.stringMatching(/may do that/)]);
    }
  });

  it('a guest plays only to the receivers the owner allows', async () => {
    const gina = await userToken('Gina', 'guest');
    const before = await connect(gina.token);
    expect(await send(before, 'playback:pause', { receiver: TV })).toEqual({ ok: false, error: `playback:pause: Gina may not play to "${TV}"` });
    const tv = (await json<{ items: { id: string }[] }>(call('GET', '/api/receivers', server.token))).items[0]!.id;
    const closed = new Promise((resolve) => before.once('disconnect', resolve));
    let signedOut = false;
    before.once('auth:signed-out', () => (signedOut = true));
    expect((await call('PATCH', `/api/auth/users/${gina.id}`, server.token, { receivers: [tv] })).status).toBe(200);
    // Her open connection held the old rights: it is closed (not signed out), and a new one has the new.
    expect(await closed).toBe('io server disconnect');
    expect(signedOut).toBe(false);
    const after = await connect(gina.token);
    expect(JSON.stringify(await send(after, 'playback:pause', { receiver: TV }))).not.toMatch(/may not play/);
  });

  it('owner-only REST routes refuse a member (403), and photo GPS is the owner\'s alone', async () => {
    const { token } = await userToken('Mo', 'member');
    expect((await call('POST', '/api/library/rescan', token)).status).toBe(403);
    expect((await call('GET', '/api/auth/users', token)).status).toBe(403);
    expect((await call('POST', '/api/auth/users', token, { name: 'Evil', role: 'member' })).status).toBe(403);
    await scanFinished(server, 'Photos');
    const located = (items: { latitude: number | null }[]) => items.filter((p) => p.latitude !== null).length;
    const owners = await json<{ items: { latitude: number | null }[] }>(call('GET', '/api/library/photos', server.token));
    expect(located(owners.items)).toBeGreaterThan(0);
    const members = await json<{ items: { latitude: number | null; longitude: number | null }[] }>(call('GET', '/api/library/photos', token));
    expect(members.items).toHaveLength(owners.items.length);
    expect(members.items.every((p) => p.latitude === null && p.longitude === null)).toBe(true);
  });
});

describe('library restriction', () => {
  it('a user limited to some libraries sees and plays only those', async () => {
    const kid = await userToken('Kid', 'member');
    const track = (await json<{ items: { id: number }[]; total: number }>(call('GET', '/api/library/tracks', server.token))).items[0]!;
    expect((await call('PATCH', `/api/auth/users/${kid.id}`, server.token, { libraries: ['Photos'] })).status).toBe(200);
    const total = async (kind: string) => (await json<{ total: number }>(call('GET', `/api/library/${kind}`, kid.token))).total;
    expect(await total('tracks')).toBe(0);
    expect(await total('albums')).toBe(0);
    expect(await total('artists')).toBe(0);
    expect(await total('photos')).toBe((await json<{ total: number }>(call('GET', '/api/library/photos', server.token))).total);
    expect((await json<{ libraries: { name: string }[] }>(call('GET', '/api/library/stats', kid.token))).libraries.map((l) => l.name)).toEqual(['Photos']);
    // The browse pages keep to them too: an album's page, the genres and years to filter by, shows.
    const album = (await json<{ items: { id: number }[] }>(call('GET', '/api/library/albums', server.token))).items[0]!;
    expect((await call('GET', `/api/library/albums/${album.id}`, server.token)).status).toBe(200);
    expect((await call('GET', `/api/library/albums/${album.id}`, kid.token)).status).toBe(404);
    expect((await json<{ items: unknown[] }>(call('GET', '/api/library/years', server.token))).items.length).toBeGreaterThan(0);
    expect((await json<{ items: unknown[] }>(call('GET', '/api/library/years', kid.token))).items).toEqual([]);
    expect((await json<{ items: unknown[] }>(call('GET', '/api/library/genres', kid.token))).items).toEqual([]);
    const socket = await connect(kid.token);
    expect(await send(socket, 'library:search', { q: '' })).toMatchObject({ ok: true, data: { tracks: { total: 0 } } });
    expect(await send(socket, 'playback:play', { receiver: TV, what: [track.id] })).toEqual({ ok: false, error: `no library item with id ${track.id}` });
    // Back to every library: the same track is there again.
    expect((await call('PATCH', `/api/auth/users/${kid.id}`, server.token, { libraries: null })).status).toBe(200);
    expect(await total('tracks')).toBeGreaterThan(0);
  });
});

describe('pairing', () => {
  it('a pairing link signs one device in as a member, once', async () => {
    const link = await json<{ token: string; ttlSeconds: number }>(call('POST', '/api/auth/pairings', server.token, {}));
    expect(link.ttlSeconds).toBe(600);
    const paired = await call('POST', '/api/auth/pair', undefined, { token: link.token, device: 'Phone' });
    expect(paired.status).toBe(200);
    // A browser gets the token as an HttpOnly, SameSite=Strict cookie, never in the body.
    expect(paired.headers.get('set-cookie')).toMatch(/^homecast_device=[\w-]{43}; Max-Age=\d+; Path=\/; Expires=.*; HttpOnly; SameSite=Strict$/);
    expect(await paired.json()).toMatchObject({ user: { name: 'Household', role: 'member' }, device: { name: 'Phone' } });
    const cookie = paired.headers.get('set-cookie')!.split(';')[0]!;
    expect(await json(fetch(`${server.url}/api/auth/state`, { headers: { cookie } }))).toMatchObject({ user: { role: 'member' }, device: { name: 'Phone' } });
    const again = await call('POST', '/api/auth/pair', undefined, { token: link.token, device: 'Thief' });
    expect(again.status).toBe(403);
    expect(await again.json()).toEqual({ error: 'this pairing link is not valid (each works once): ask for a new one' });
  });

  it('a guest cannot make pairing links', async () => {
    const { token } = await userToken('Gail', 'guest');
    expect((await call('POST', '/api/auth/pairings', token, {})).status).toBe(403);
  });
});

describe('revoking a device', () => {
  it('refuses it at once and closes its open socket', async () => {
    const link = await json<{ token: string }>(call('POST', '/api/auth/pairings', server.token, {}));
    const paired = await json<{ token: string; device: { id: number } }>(call('POST', '/api/auth/pair', undefined, { token: link.token, device: 'Lost phone', bearer: true }));
    const socket = await connect(paired.token);
    expect((await send(socket, 'receivers:list')).ok).toBe(true);
    const told = new Promise((resolve) => socket.once('auth:signed-out', resolve));
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    expect((await call('DELETE', `/api/auth/devices/${paired.device.id}`, server.token)).status).toBe(200);
    expect(await told).toEqual({ reason: 'this device was signed out' });
    expect(await closed).toBe('io server disconnect');
    expect((await call('GET', '/api/library/tracks', paired.token)).status).toBe(401);
    await expect(connect(paired.token)).rejects.toThrow(/sign in first/);
    const listed = await json<{ items: { name: string }[] }>(call('GET', '/api/auth/devices', server.token));
    expect(listed.items.map((d) => d.name)).not.toContain('Lost phone');
  });
});

describe('signing in', () => {
  it('backs off per address after a few wrong passwords, even for the right one', async () => {
    const attempt = (password: string) => call('POST', '/api/auth/login', undefined, { name: OWNER.name, password, bearer: true });
    const statuses: number[] = [];
    let wait = 0;
    // Wrong passwords until the server refuses to look: the first three are only "wrong".
    for (let i = 0; i < 8 && wait === 0; i++) {
      const r = await attempt('not-the-password');
      statuses.push(r.status);
      if (r.status === 429) wait = Number(r.headers.get('retry-after'));
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    expect(wait).toBeGreaterThanOrEqual(1);
    // During the back-off the right password is refused too, without being checked.
    const refused = await attempt(OWNER.password);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/^too many failed sign-ins from this address: try again in \d+ s$/) });
    // After the time the server gave, the right password works and the address starts afresh.
    await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000));
    expect((await attempt(OWNER.password)).status).toBe(200);
    expect((await attempt('not-the-password')).status).toBe(401);
  });
});

describe('auth.mode "lan-open"', () => {
  it('keeps the old behaviour: nobody signs in, every route and command is open, and the log says so', async () => {
    const open = await startServer({ config: { auth: { mode: 'lan-open' }, libraries: [], discovery: { mdns: false }, scan: { watch: false, onStart: false } } });
    try {
      expect(open.token).toBeUndefined();
      expect(await open.waitForLine(/ warn auth.mode is "lan-open"/)).toMatch(/anyone who can reach this server controls it/);
      expect((await fetch(`${open.url}/api/library/stats`)).status).toBe(200);
      const s = open.io();
      sockets.push(s);
      await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
      expect(await send(s, 'receivers:list')).toEqual({ ok: true, data: [] });
      expect((await fetch(`${open.url}/api/auth/pairings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    } finally {
      await open.stop();
    }
  });
});
