// Receiver passwords through the real server's socket API, against a real password-protected
// speaker (shairport-sync with `password`, reached over a veth into its namespace): a play with
// no password is answered with code 'needs-password', a wrong one with `wrong`, the right one
// plays (the speaker outputs sound), and the password is kept across a server restart, never
// sent back to a remote; forgetting it brings the question back; a password in the config works too.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../../server/api/messages.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { projectRoot } from '../../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';
import { startPasswordSpeaker, type PasswordSpeaker } from './password-speaker.js';

const PASSWORD = 'open sesame';
const NAME = 'Locked';

let lib: LibraryCopy;
let speaker: PasswordSpeaker;
let server: RunningServer;
let socket: Socket;
let hostAddr: string;
let trackId: number;

interface Remote {
  socket: Socket;
  snapshot: Promise<{ receivers: Record<string, unknown>[] }>;
}

const config = (entry: Record<string, unknown> = {}) => ({
  // The speaker fetches nothing, but our ffmpeg reads the media URL on the address facing it.
  host: hostAddr,
  libraries: [{ name: 'Music', path: lib.music, kind: 'music' }],
  receivers: [{ kind: 'airplay', name: NAME, host: speaker.host, port: speaker.port, type: 'speaker', model: 'ShairportSync', needsPassword: true, ...entry }],
  discovery: { mdns: false, heartbeatSeconds: 2 },
  scan: { watch: false },
});

async function connect(s: RunningServer): Promise<Remote> {
  const sock = s.io({}, `http://${hostAddr}:${s.port}`);
  const snapshot = new Promise<{ receivers: Record<string, unknown>[] }>((resolve) => sock.once('snapshot', resolve));
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('connect_error', reject);
  });
  return { socket: sock, snapshot };
}

function send(event: string, args: unknown, timeoutMs = 30_000): Promise<Ack> {
  return new Promise((resolve, reject) => socket.timeout(timeoutMs).emit(event, args, (err: Error | null, ack: Ack) => (err ? reject(err) : resolve(ack))));
}

/** The next `session` push for the speaker in `state`. */
function sessionIn(state: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (socket.off('session', on), reject(new Error(`no session push in state ${state} within ${timeoutMs} ms`))), timeoutMs);
    const on = (s: Record<string, unknown>) => {
      if (s.state !== state) return;
      clearTimeout(t);
      socket.off('session', on);
      resolve(s);
    };
    socket.on('session', on);
  });
}

async function start(dataDir?: string, entry?: Record<string, unknown>): Promise<void> {
  server = await startServer({ config: config(entry), ...(dataDir ? { dataDir } : {}) });
  await scanFinished(server, 'Music');
  const remote = await connect(server);
  socket = remote.socket;
  const snap = await remote.snapshot;
  expect(snap.receivers).toHaveLength(1);
}

async function playAndHear(): Promise<void> {
  const playing = sessionIn('playing');
  const before = speaker.pcm.loudFrames;
  const ack = await send('playback:play', { receiver: NAME, what: [trackId] });
  expect(ack).toMatchObject({ ok: true });
  await playing;
  // Sound out of the speaker, not just a state: at least 0.3 s of the tone.
  await speaker.pcm.until(() => speaker.pcm.loudFrames - before > 0.3 * 44100, 15_000, 'the tone');
  expect((await send('playback:stop', { receiver: NAME })).ok).toBe(true);
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  speaker = await startPasswordSpeaker({ name: NAME, password: PASSWORD, port: 5061 });
  hostAddr = speaker.hostAddr;
  await start();
  const found = await send('library:search', { q: 'Cover', limit: 10 });
  const tracks = (found as { data: { tracks: { items: { id: number; title: string }[] } } }).data.tracks.items;
  trackId = tracks.find((t) => t.title === 'Cover')!.id;
}, 90_000);

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await speaker?.stop();
});

describe('receiver passwords', () => {
  it('tells remotes that the speaker needs a password, and that none is kept', async () => {
    const ack = await send('receivers:list', {});
    expect(ack).toMatchObject({ ok: true, data: [expect.objectContaining({ name: NAME, needsPassword: true, hasPassword: false })] });
  });

  it('answers a play without a password with code needs-password', async () => {
    const ack = await send('playback:play', { receiver: NAME, what: [trackId] });
    expect(ack).toEqual({ ok: false, code: 'needs-password', wrong: false, receiver: expect.stringMatching(/^airplay:/), error: `${NAME} needs a password` });
  });

  it('validates the password message at the edge', async () => {
    expect(await send('receiver:password', { receiver: NAME, password: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/"password"/) });
    expect(await send('receiver:password', { receiver: NAME, password: 'x'.repeat(257) })).toMatchObject({ ok: false, error: expect.stringMatching(/"password"/) });
    expect(await send('receiver:password', { receiver: 'Nowhere', password: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown receiver/) });
  });

  it('keeps a wrong password, and the play says it is wrong', async () => {
    const pushed = new Promise<Record<string, unknown>>((resolve) => socket.once('receiver', resolve));
    const saved = await send('receiver:password', { receiver: NAME, password: 'not it' });
    expect(saved).toMatchObject({ ok: true, data: { name: NAME, needsPassword: true, hasPassword: true } });
    expect(JSON.stringify(saved)).not.toContain('not it');
    expect(await pushed).toMatchObject({ name: NAME, hasPassword: true });
    const ack = await send('playback:play', { receiver: NAME, what: [trackId] });
    expect(ack).toMatchObject({ ok: false, code: 'needs-password', wrong: true, error: `Wrong password for ${NAME}` });
  });

  it('plays once the right password is given', async () => {
    expect(await send('receiver:password', { receiver: NAME, password: PASSWORD })).toMatchObject({ ok: true });
    await playAndHear();
  }, 60_000);

  it('keeps the password across a restart and never sends it to a remote', async () => {
    const dataDir = server.dataDir;
    socket.close();
    await server.stop();
    await start(dataDir);
    const list = await send('receivers:list', {});
    expect(list).toMatchObject({ ok: true, data: [expect.objectContaining({ hasPassword: true, needsPassword: true })] });
    expect(JSON.stringify(list)).not.toContain(PASSWORD);
    const rest = await fetch(`http://${hostAddr}:${server.port}/api/receivers`, { headers: server.authHeaders }).then((r) => r.text());
    expect(rest).toContain(NAME);
    expect(rest).not.toContain(PASSWORD);
    expect(JSON.parse(rest)).toMatchObject({ items: [expect.objectContaining({ name: NAME, hasPassword: true, needsPassword: true })] });
    await playAndHear();
  }, 90_000);

  it('forgets the password: the next play asks again', async () => {
    const forgot = await send('receiver:forget-password', { receiver: NAME });
    expect(forgot).toMatchObject({ ok: true, data: { hasPassword: false, needsPassword: true } });
    expect(await send('playback:play', { receiver: NAME, what: [trackId] })).toMatchObject({ ok: false, code: 'needs-password', wrong: false });
  });

  it('takes the password from the command line remote on stdin, never argv', async () => {
    const cli = (args: string[], input: string) => {
      const child = spawn(process.execPath, [join(projectRoot, 'dist/server/cli/main.js'), ...args, '--server', `http://${hostAddr}:${server.port}`], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HOMECAST_TOKEN: server.token } });
      child.stdin.end(input);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise<{ code: number | null; out: string }>((resolve) => child.once('close', (code) => resolve({ code, out })));
    };
    expect((await cli(['receivers'], '')).out).toContain('needs a password');
    const kept = await cli(['password', '--to', NAME], `${PASSWORD}\n`);
    expect(kept).toEqual({ code: 0, out: `password kept for ${NAME}\n` });
    expect((await cli(['receivers'], '')).out).toContain('[password kept]');
    await playAndHear();
    expect((await cli(['password', '--to', NAME, '--forget'], '')).out).toBe(`forgot the password of ${NAME}\n`);
    expect((await cli(['password', '--to', NAME], '')).code).toBe(1);
  }, 60_000);

  it('plays with a password from the config, which no remote sees either', async () => {
    socket.close();
    await server.stop();
    await start(undefined, { password: PASSWORD });
    const list = await send('receivers:list', {});
    expect(list).toMatchObject({ ok: true, data: [expect.objectContaining({ hasPassword: true, needsPassword: true })] });
    expect(JSON.stringify(list)).not.toContain(PASSWORD);
    await playAndHear();
  }, 90_000);
});
