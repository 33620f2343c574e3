// Per-user caps at the real server, over loopback (HTTP and the remote-access HTTPS port): a
// member's own player runs at most its cap of live transcodes (the owner is not capped; a
// receiver, with no cookie, is not either); from outside, an original above the bandwidth cap is
// redirected to a transcode at that bitrate (at home, and for a receiver, the original is served);
// a user's own value wins over the server's, and a change applies at once.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner, type UrlSigner } from '../../../server/media/signing.js';
import { ffmpeg } from '../../fixtures/ffmpeg.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { DEVICE_COOKIE, scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }
interface Answer { status: number; location?: string | undefined; type?: string | undefined; close(): void }

let lib: LibraryCopy;
let server: RunningServer;
let httpsPort: number;
let signer: UrlSigner;
let noise: number;
let member: { id: number; token: string };

/** Opens `path` (over the remote port when `remote`) as `token`'s device, reads nothing past the headers. */
function open(path: string, o: { token?: string | undefined; remote?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = o.token ? { cookie: `${DEVICE_COOKIE}=${o.token}` } : {};
    const req = o.remote
      ? https.get({ host: '127.0.0.1', port: httpsPort, path, headers, agent: false, rejectUnauthorized: false })
      : http.get({ host: '127.0.0.1', port: server.port, path, headers, agent: false });
    req.on('error', () => {});
    req.once('response', (res) => {
      if (res.statusCode === 200) res.pause();
      else res.resume();
      resolve({ status: res.statusCode!, location: res.headers.location, type: res.headers['content-type'], close: () => req.destroy() });
    });
    req.once('close', () => reject(new Error('closed before an answer')));
  });
}

const transcode = (start: number) => signer.streamUrl(noise, { container: 'wav', audioCodec: 'pcm_s16le' }, start);

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  // Noise does not compress: a FLAC of ~1.4 Mbit/s, far above the cap.
  await ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=r=44100:a=0.5:d=30', '-ac', '2', '-c:a', 'flac', join(lib.music, 'Noise.flac')]);
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }],
      discovery: { mdns: false },
      scan: { watch: false },
      remote: { enabled: true, port: 0 },
      transcode: { maxProcesses: 8, perUrl: 2, idleSeconds: 120 },
      limits: { memberTranscodes: 1, remoteBitrateKbps: 192 },
    },
  });
  httpsPort = Number(/ remote access port=(\d+)/.exec(await server.waitForLine(/ remote access port=/))![1]);
  await scanFinished(server, 'Music');
  noise = (await server.get<List<{ id: number; path: string }>>('/api/library/tracks?limit=500')).body.items.find((t) => t.path === 'Noise.flac')!.id;
  signer = createSigner({ secret: readFileSync(join(server.dataDir, 'secret')), ttlSeconds: 3600 });
  const made = (await (await server.fetch('/api/auth/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Max', role: 'member', password: 'max-password' }) })).json()) as { id: number };
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Max', password: 'max-password', bearer: true }) });
  member = { id: made.id, token: ((await login.json()) as { token: string }).token };
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('a member\'s transcodes', () => {
  it('past the cap, the member\'s player is refused (429); the owner and a receiver are not', async () => {
    const first = await open(transcode(1), { token: member.token });
    expect(first.status).toBe(200);
    const second = await open(transcode(2), { token: member.token });
    expect(second.status).toBe(429);
    const owners = await Promise.all([open(transcode(3), { token: server.token }), open(transcode(4), { token: server.token })]);
    expect(owners.map((a) => a.status)).toEqual([200, 200]);
    const receiver = await open(transcode(5));
    expect(receiver.status).toBe(200);
    // The user's own cap wins over the server's, at once.
    expect((await server.fetch(`/api/auth/users/${member.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ maxTranscodes: 2 }) })).status).toBe(200);
    const third = await open(transcode(6), { token: member.token });
    expect(third.status).toBe(200);
    for (const a of [first, second, ...owners, receiver, third]) a.close();
  });
});

describe('bandwidth from outside', () => {
  it('an original above the cap is redirected to a transcode at the cap from outside; at home and for receivers it is the original', async () => {
    const original = signer.streamUrl(noise);
    const outside = await open(original, { token: member.token, remote: true });
    expect(outside.status).toBe(302);
    const to = new URL(outside.location!, 'https://x/');
    expect(to.pathname).toBe(`/media/${noise}`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ c: 'mp4', ac: 'aac', br: '192000' });
    const followed = await open(outside.location!, { token: member.token, remote: true });
    expect([followed.status, followed.type]).toEqual([200, 'audio/mp4']);
    followed.close();
    // At home, and a receiver (no cookie) even through the remote port: the original.
    const home = await open(original, { token: member.token });
    expect([home.status, home.type]).toEqual([200, 'audio/flac']);
    home.close();
    const receiver = await open(original, { remote: true });
    expect([receiver.status, receiver.type]).toEqual([200, 'audio/flac']);
    receiver.close();
    // The owner's setting changes at once; a user's own value wins over it.
    expect((await server.fetch('/api/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { memberTranscodes: 1, remoteBitrateKbps: 96, remoteSessionIdleDays: 30 } }) })).status).toBe(200);
    expect(new URL((await open(original, { token: member.token, remote: true })).location!, 'https://x/').searchParams.get('br')).toBe('96000');
    expect((await server.fetch(`/api/auth/users/${member.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ remoteBitrateKbps: 5000 }) })).status).toBe(200);
    const uncapped = await open(original, { token: member.token, remote: true });
    expect([uncapped.status, uncapped.type]).toEqual([200, 'audio/flac']);
    uncapped.close();
  });
});

describe('sessions', () => {
  it('a sign-in over the remote port is marked as from outside (it expires when idle); one at home is not', async () => {
    const body = JSON.stringify({ name: 'Max', password: 'max-password', device: 'Hotel', bearer: true });
    const token = await new Promise<string>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: httpsPort, path: '/api/auth/login', method: 'POST', rejectUnauthorized: false, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve((JSON.parse(text) as { token: string }).token));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(token).toMatch(/^[\w-]{43}$/);
    const devices = (await server.get<{ items: { name: string; remote: boolean }[] }>('/api/auth/devices')).body.items;
    expect(devices.filter((d) => d.name === 'Hotel' || d.name === 'test').map((d) => [d.name, d.remote])).toEqual([['test', false], ['Hotel', true]]);
  });
});
