// "This device" over real sockets: a page of the remote registers as a receiver with what its
// media element plays; only its own device sees it, its session and its commands (another
// signed-in device gets "unknown receiver"); a video it cannot play is decided against its profile
// (HLS, reasons naming it) and sent to the page with its subtitles as signed WebVTT; the page's
// reports are its session's position; its connection closing takes it offline. The page here is
// a Socket.IO client speaking the page's protocol (the Chromium e2e test, test/e2e/this-device.test.ts, runs the real one).
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadRequest } from '../../../receivers/types.js';
import type { BrowserCommand } from '../../../receivers/browser/receiver.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { command } from '../../helpers/groups.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';
import { sessionPushes } from '../../helpers/session-pushes.js';

const CHROMIUM = { containers: ['mp4', 'webm', 'ogg', 'mp3', 'flac', 'wav', 'adts', 'hls'], video: [{ codec: 'h264', maxLevel: 52 }, { codec: 'vp9' }], audio: ['aac', 'mp3', 'flac', 'opus', 'vorbis', 'pcm'] };
const PAGE_ID = 'a'.repeat(32);

let lib: LibraryCopy;
let server: RunningServer;
let page: Socket;
let other: Socket;
let otherToken: string;
const commands: BrowserCommand[] = [];
const otherHeard: SessionSnapshot[] = [];

async function pairedToken(): Promise<string> {
  const post = (path: string, body: unknown, auth = true) => fetch(server.url.replace(/\/$/, '') + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? server.authHeaders : {}) }, body: JSON.stringify(body) });
  const link = (await (await post('/api/auth/pairings', {})).json()) as { token: string };
  const paired = (await (await post('/api/auth/pair', { token: link.token, device: 'Other phone', bearer: true }, false)).json()) as { token: string };
  return paired.token;
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  server = await startServer({ config: { libraries: [{ name: 'Video', path: lib.video, kind: 'video' }], discovery: { mdns: false }, scan: { watch: false } } });
  await scanFinished(server, 'Video');
  page = server.io();
  page.on('device:command', (cmd: BrowserCommand, ack: (a: unknown) => void) => (commands.push(cmd), ack({ ok: true })));
  const pageReady = new Promise((resolve) => page.once('snapshot', resolve));
  otherToken = await pairedToken();
  other = server.io({ auth: { token: otherToken } });
  other.on('session', (s: SessionSnapshot) => otherHeard.push(s));
  await Promise.all([pageReady, new Promise((resolve) => other.once('snapshot', resolve))]);
}, 120_000);

afterAll(async () => {
  page?.close();
  other?.close();
  await server?.stop();
});

describe('This device', () => {
  let id = '';

  it('registers as a receiver of its own device, which another device neither sees nor commands', async () => {
    const reg = await command<{ id: string; name: string }>(page, 'device:register', { pageId: PAGE_ID, support: CHROMIUM });
    expect(reg).toMatchObject({ ok: true, data: { name: 'This device' } });
    id = reg.ok ? reg.data.id : '';
    expect(id).toMatch(/^browser:\d+$/);
    const mine = await command<{ id: string }[]>(page, 'receivers:list', {});
    expect(mine.ok && mine.data.map((r) => r.id)).toContain(id);
    const theirs = await command<{ id: string }[]>(other, 'receivers:list', {});
    expect(theirs.ok && theirs.data.map((r) => r.id)).not.toContain(id);
    const rest = async (token: string) => ((await (await fetch(`${server.url.replace(/\/$/, '')}/api/receivers`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: string }[] }).items.map((r) => r.id);
    expect(await rest(server.token!)).toContain(id);
    expect(await rest(otherToken)).not.toContain(id);
    expect(await command(other, 'playback:play', { receiver: id, what: 'Movie' })).toEqual({ ok: false, error: `unknown receiver "${id}"` });
    expect(await command(other, 'device:register', { pageId: 'x', support: CHROMIUM })).toMatchObject({ ok: false, error: expect.stringContaining('32 hex digits') });
  });

  it('gets a video it cannot play as HLS decided against its own profile, with its subtitles as WebVTT', async () => {
    const pushes = sessionPushes(page);
    const played = await command<SessionSnapshot>(page, 'playback:play', { receiver: id, what: 'The Movie' });
    expect(played.ok).toBe(true);
    const snap = played.ok ? played.data : undefined;
    expect(snap?.decision).toEqual({ kind: 'transcode', reasons: ['HEVC not supported by This device', 'Matroska container not supported by This device', 'AC-3 audio not supported by This device'] });
    const load = commands.find((c): c is { op: 'load'; req: LoadRequest } => c.op === 'load')!;
    expect(load.req).toMatchObject({ contentType: 'application/vnd.apple.mpegurl', live: false, startAt: 0, metadata: { title: 'The Movie', kind: 'video' } });
    expect(load.req.subtitles?.length).toBe(2);
    const vtt = await server.fetch(new URL(load.req.subtitles![1]!.url).pathname + new URL(load.req.subtitles![1]!.url).search);
    expect(vtt.status).toBe(200);
    expect(await vtt.text()).toMatch(/^WEBVTT[\s\S]*Hello there/);
    // Its reports are the session's position and state.
    page.emit('device:status', { receiver: id, state: 'playing', position: 1.5, duration: 3, volume: { level: 0.5, muted: false } });
    const { s } = await pushes.next(id, (x) => x.state === 'playing');
    expect(s.position).toBe(1.5);
    expect(s.volume.level).toBe(0.5);
    // A subtitle chosen is set in place on the page.
    expect((await command(page, 'playback:subtitles', { receiver: id, index: 1 })).ok).toBe(true);
    expect(commands.at(-1)).toEqual({ op: 'subtitle', index: 1 });
    expect(otherHeard.filter((x) => x.receiverId === id)).toEqual([]);
  });

  it('goes offline when its page closes, its queue kept', async () => {
    const watcher = server.io();
    await new Promise((resolve) => watcher.once('snapshot', resolve));
    const offline = new Promise<{ id: string; online: boolean }>((resolve) => watcher.on('receiver', (r: { id: string; online: boolean }) => r.id === id && !r.online && resolve(r)));
    const gone = sessionPushes(watcher).next(id, (x) => x.state === 'idle' && x.idleReason === 'gone');
    page.close();
    expect((await offline).online).toBe(false);
    expect((await gone).s.queue.map((e) => e.title)).toEqual(['The Movie']);
    watcher.close();
  });
});
