// The owner's settings over the real server: every settings route is the owner's (refused without
// a session and for a member); the folder browser lists folders only and refuses the paths no
// library can be; what the owner changes takes effect without a restart (a library added is
// scanned and its items listed, one removed is forgotten, a lower transcode cap runs fewer
// ffmpegs) and is kept over the config's value after a restart; what waits for a restart says so.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner } from '../../../server/media/signing.js';
import { ffmpeg } from '../../fixtures/ffmpeg.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { childrenNamed } from '../../helpers/processes.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }
interface View { values: { libraries: { name: string; path: string; kind: string }[]; transcode: { maxProcesses: number }; remote: { enabled: boolean } }; changed: string[]; restartNeeded: string[] }

let lib: LibraryCopy;
let server: RunningServer;
let member: string;
let config: Record<string, unknown>;

async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
const owner = (method: string, path: string, body?: unknown) => call(method, path, server.token, body);

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  // Long enough that its transcodes run while the test counts them (the cap counts video encoders).
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=10', '-t', '300', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', join(lib.video, 'Long.mp4')]);
  // No library in the config: the owner adds the first in the remote.
  config = { libraries: [], discovery: { mdns: false }, scan: { watch: false }, transcode: { maxProcesses: 3, perUrl: 2, idleSeconds: 120 } };
  server = await startServer({ config });
  await owner('POST', '/api/auth/users', { name: 'Mia', role: 'member', password: 'mia-password' });
  member = ((await call('POST', '/api/auth/login', undefined, { name: 'Mia', password: 'mia-password', bearer: true })).body as { token: string }).token;
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('who may', () => {
  it('every settings route is refused without a session (401) and for a member (403)', async () => {
    const routes: [string, string, unknown?][] = [['GET', '/api/settings'], ['PATCH', '/api/settings', { discovery: { mdns: false, ssdp: false } }], ['DELETE', '/api/settings/discovery'], ['GET', '/api/settings/folders'], ['GET', `/api/settings/folders?path=${encodeURIComponent(lib.music)}`]];
    for (const [method, path, body] of routes) {
      expect([method, path, (await call(method, path, undefined, body)).status]).toEqual([method, path, 401]);
      expect([method, path, (await call(method, path, member, body)).status]).toEqual([method, path, 403]);
    }
    expect((await owner('GET', '/api/settings')).status).toBe(200);
  });
});

describe('the folder browser', () => {
  it('lists the folders in a folder, never its files; hidden ones only when asked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hc-browse-'));
    for (const d of ['B sides', 'albums', '.cache']) mkdirSync(join(root, d));
    writeFileSync(join(root, 'notes.txt'), 'x');
    symlinkSync(join(root, 'albums'), join(root, 'linked'));
    symlinkSync(join(root, 'notes.txt'), join(root, 'file-link'));
    const r = await owner('GET', `/api/settings/folders?path=${encodeURIComponent(root)}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ path: root, parent: tmpdir(), truncated: false, folders: ['albums', 'B sides', 'linked'].map((name) => ({ name, path: join(root, name) })) });
    const hidden = await owner('GET', `/api/settings/folders?path=${encodeURIComponent(root)}&hidden=1`);
    expect((hidden.body.folders as { name: string }[]).map((f) => f.name)).toContain('.cache');
    // Without a path: where to start.
    const start = await owner('GET', '/api/settings/folders');
    expect(start.status).toBe(200);
    expect(start.body.places).toEqual(expect.arrayContaining([{ name: 'Computer', path: '/' }]));
  });

  it('refuses what no library can be, with a reason', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hc-refuse-'));
    writeFileSync(join(root, 'song.mp3'), 'x');
    symlinkSync('/proc/self', join(root, 'into-proc'));
    const cases: [string, number, RegExp][] = [
      ['music', 400, /full path/],
      ['../etc', 400, /full path/],
      ['/proc', 403, /system/],
      ['/proc/1/root', 403, /system/],
      ['/sys/class', 403, /system/],
      ['/dev', 403, /system/],
      [join(root, 'into-proc'), 403, /system/],
      [server.dataDir, 403, /data folder/],
      [join(server.dataDir, 'art'), 403, /data folder/],
      [join(root, 'nowhere'), 404, /does not exist/],
      [join(root, 'song.mp3'), 400, /not a folder/],
      ['/tmp/a\u0000b', 400, /not a folder path/],
    ];
    for (const [path, status, message] of cases) {
      const r = await owner('GET', `/api/settings/folders?path=${encodeURIComponent(path)}`);
      expect([path, r.status, r.body.error]).toEqual([path, status, expect.stringMatching(message)]);
    }
    // The data folder is not listed either, nor can a library be put there.
    const parent = await owner('GET', `/api/settings/folders?path=${encodeURIComponent(join(server.dataDir, '..'))}`);
    expect((parent.body.folders as { path: string }[]).map((f) => f.path)).not.toContain(server.dataDir);
    const put = await owner('PATCH', '/api/settings', { libraries: [{ name: 'Data', path: server.dataDir, kind: 'music' }] });
    expect(put.status).toBe(403);
    expect((await owner('GET', '/api/settings')).body.values).toMatchObject({ libraries: [] });
  });
});

describe('changes take effect without a restart', () => {
  it('a library added is scanned and listed; bad ones are refused and change nothing', async () => {
    expect((await owner('PATCH', '/api/settings', { libraries: [{ name: 'Music', path: join(lib.music, 'nowhere'), kind: 'music' }] })).status).toBe(404);
    expect((await owner('PATCH', '/api/settings', { libraries: [{ name: 'Music', path: lib.music, kind: 'noise' }] })).status).toBe(400);
    expect((await owner('PATCH', '/api/settings', { libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'music', path: lib.video, kind: 'video' }] })).body.error).toMatch(/used twice/);
    expect((await owner('PATCH', '/api/settings', { libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Inner', path: join(lib.music, '..', 'music'), kind: 'music' }] })).body.error).toMatch(/overlaps/);
    expect((await owner('PATCH', '/api/settings', { colour: 'blue' })).body.error).toMatch(/unknown setting "colour"/);
    expect((await server.get<List<unknown>>('/api/library/tracks')).body.total).toBe(0);
    const after = server.lines.length;
    const r = await owner('PATCH', '/api/settings', { libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ changed: ['libraries'], restartNeeded: [] });
    await scanFinished(server, 'Video', after);
    expect((await server.get<List<unknown>>('/api/library/tracks')).body.total).toBeGreaterThan(0);
    expect((await server.get<List<{ path: string }>>('/api/library/videos?limit=500')).body.items.map((t) => t.path)).toContain('Long.mp4');
    expect((await server.get<{ libraries: { name: string }[] }>('/api/library/stats')).body.libraries.map((l) => l.name)).toEqual(['Music', 'Video']);
  });

  it('a lower transcode cap runs fewer ffmpegs at once (the running ones go on)', async () => {
    const long = (await server.get<List<{ id: number; path: string }>>('/api/library/videos?limit=500')).body.items.find((t) => t.path === 'Long.mp4')!;
    const signer = createSigner({ secret: readFileSync(join(server.dataDir, 'secret')), ttlSeconds: 3600 });
    // Distinct URLs (another start each): each its own ffmpeg, each encoding video (a whole slot).
    const urls = [0, 1, 2, 3, 4, 5].map((s) => signer.streamUrl(long.id, { container: 'mpegts', videoCodec: 'h264', audioCodec: 'aac' }, s + 1));
    const ffmpegs = () => childrenNamed(server.pid, 'ffmpeg').length;
    const open = async (batch: string[]) => Promise.all(batch.map((u) => openPaused(u)));
    const first = await open(urls.slice(0, 4));
    expect(first.map((c) => c.status).sort()).toEqual([200, 200, 200, 503]);
    expect(ffmpegs()).toBe(3);
    const r = await owner('PATCH', '/api/settings', { transcode: { maxProcesses: 1, perUrl: 2, idleSeconds: 120 } });
    expect(r.body).toMatchObject({ values: { transcode: { maxProcesses: 1 } }, restartNeeded: [] });
    expect(ffmpegs()).toBe(3);
    for (const c of first) c.close();
    await until(() => ffmpegs() === 0);
    const second = await open(urls.slice(4, 6).concat(urls[0]!));
    expect(second.map((c) => c.status).sort()).toEqual([200, 503, 503]);
    expect(ffmpegs()).toBe(1);
    for (const c of second) c.close();
    await until(() => ffmpegs() === 0);
  });

  it('a receiver added by address appears at once, and goes when removed; an unknown kind is refused', async () => {
    const names = async () => (await server.get<{ items: { name: string }[] }>('/api/receivers')).body.items.map((r) => r.name);
    expect((await owner('PATCH', '/api/settings', { receivers: [{ kind: 'toaster', name: 'Toaster', host: '127.0.0.1' }] })).body.error).toMatch(/"toaster" is not a receiver kind/);
    expect((await owner('PATCH', '/api/settings', { receivers: [{ kind: 'chromecast', name: 'Attic TV', host: '127.0.0.1', port: 9 }] })).status).toBe(200);
    expect(await names()).toContain('Attic TV');
    expect((await owner('PATCH', '/api/settings', { receivers: [] })).status).toBe(200);
    expect(await names()).not.toContain('Attic TV');
  });

  it('a library removed is forgotten', async () => {
    const after = server.lines.length;
    expect((await owner('PATCH', '/api/settings', { libraries: [{ name: 'Video', path: lib.video, kind: 'video' }] })).status).toBe(200);
    await scanFinished(server, 'Video', after);
    expect((await server.get<List<unknown>>('/api/library/tracks')).body.total).toBe(0);
    expect((await server.get<List<unknown>>('/api/library/videos')).body.total).toBeGreaterThan(0);
  });

  it('what needs a restart says so; after one the changes are kept over the config, and a reset gives the config back', async () => {
    const r = await owner('PATCH', '/api/settings', { remote: { enabled: false, port: 9443, publicUrl: null } });
    expect(r.body).toMatchObject({ restartNeeded: ['remote'] });
    await server.stop();
    server = await startServer({ config, dataDir: server.dataDir });
    const view = (await owner('GET', '/api/settings')).body as unknown as View;
    expect(view.changed.sort()).toEqual(['libraries', 'receivers', 'remote', 'transcode']);
    expect(view.restartNeeded).toEqual([]);
    expect(view.values.libraries.map((l) => l.name)).toEqual(['Video']);
    expect(view.values.transcode.maxProcesses).toBe(1);
    await scanFinished(server, 'Video');
    const reset = (await owner('DELETE', '/api/settings/libraries')).body as unknown as View;
    expect(reset.values.libraries).toEqual([]);
    expect(reset.changed).not.toContain('libraries');
    expect((await owner('DELETE', '/api/settings/colour')).status).toBe(404);
  });
});

interface Paused { status: number; close(): void }

/** Opens a URL and reads nothing past the headers. */
function openPaused(path: string): Promise<Paused> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path, agent: false });
    req.on('error', () => {});
    req.once('response', (res) => {
      if (res.statusCode !== 200) res.resume();
      else res.pause();
      resolve({ status: res.statusCode!, close: () => req.destroy() });
    });
    req.once('close', () => reject(new Error('closed before an answer')));
  });
}

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
