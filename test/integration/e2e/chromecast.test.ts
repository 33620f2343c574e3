// The whole Chromecast path, as a person uses it, inside a network namespace of its own:
// the server finds software Chromecasts by mDNS, the CLI plays library items on them, each
// emulator fetches and probes what it gets (direct or transcoded per its model), and a
// receiver that dies is marked offline, its session idle with a reason, and found again.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_ALBUM, makeLongAlbum } from '../../e2e/long-album.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { readLines, type LineReader } from '../../helpers/lines.js';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { projectRoot } from '../../helpers/paths.js';
import { ownerTokenAt } from '../../helpers/server.js';

type Emulator = { proc: ChildProcess; out: LineReader };
type Event = Record<string, unknown> & { event: string };

let ns: Netns;
let lib: LibraryCopy;
let server: LineReader;
let serverUrl: string;
let token: string | undefined;
const emulators = new Map<string, Emulator>();

const node = process.execPath;
/** The log quotes a value only when it has a space. */
const named = (name: string) => (name.includes(' ') ? `name="${name}"` : `name=${name}`);
const dist = (p: string) => join(projectRoot, 'dist', p);

function startEmulator(name: string, model: string, port: number): Emulator {
  const proc = ns.spawn(node, [dist('receivers/cli.js'), 'chromecast', '--name', name, '--model', model, '--host', ns.peerAddr, '--port', String(port)]);
  const e = { proc, out: readLines(proc, name) };
  emulators.set(name, e);
  return e;
}

async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return ns.run('env', [`HOMECAST_TOKEN=${token}`, node, dist('server/cli/main.js'), ...args, '--server', serverUrl]);
}

/** The next emulator event of a kind, after what the emulator printed so far. */
function nextEvent(e: Emulator, event: string, after = e.out.lines.length, timeoutMs = 20_000): Promise<Event> {
  return e.out.wait(new RegExp(`^\\{"event":"${event}"`), timeoutMs, after).then((l) => JSON.parse(l) as Event);
}

async function playAndProbe(receiver: string, what: string): Promise<{ playing: Event; stdout: string }> {
  const e = emulators.get(receiver)!;
  const mark = e.out.lines.length;
  const r = await cli('play', '--to', receiver, what);
  expect(r.code, r.stderr).toBe(0);
  return { playing: await nextEvent(e, 'playing', mark), stdout: r.stdout };
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  // Tracks long enough to pause, seek and change the volume in on a loaded machine (the fixtures last 2–3 s).
  await makeLongAlbum(lib.music);
  ns = await createNetns();
  const dataDir = await mkdtemp(join(tmpdir(), 'hc-e2e-'));
  const config = join(dataDir, 'config.json');
  await writeFile(config, JSON.stringify({
    host: '0.0.0.0', port: 8420, dataDir,
    libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }],
    scan: { watch: false }, discovery: { mdns: true, heartbeatSeconds: 0.5 },
  }));
  const proc = ns.spawn(node, [dist('server/main.js'), '--config', config]);
  server = readLines(proc, 'server');
  serverUrl = `http://${ns.addr}:8420`;
  await server.wait(/ listening /);
  token = await ownerTokenAt(serverUrl, ns, (p) => server.wait(p));
  await server.wait(/ scan finished library=Video /);
  startEmulator('Test TV', 'Chromecast', 8009);
  startEmulator('Ultra TV', 'Chromecast Ultra', 8010);
  startEmulator('Kitchen', 'Google Home', 8011);
  for (const name of ['Test TV', 'Ultra TV', 'Kitchen']) await server.wait(new RegExp(` receiver online .*${named(name)} `));
});

afterAll(async () => {
  await ns?.close();
});

describe('Chromecast end to end', () => {
  it('finds every emulator by mDNS with its type', async () => {
    const r = await cli('receivers', '--json');
    const list = JSON.parse(r.stdout) as { name: string; type: string; model: string; online: boolean; host: string }[];
    expect(list).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'Test TV', type: 'tv', model: 'Chromecast', online: true, host: ns.peerAddr }),
      expect.objectContaining({ name: 'Ultra TV', type: 'tv', model: 'Chromecast Ultra' }),
      expect.objectContaining({ name: 'Kitchen', type: 'speaker', model: 'Google Home' }),
    ]));
  });

  it('plays FLAC and MP3 directly on a speaker, and transcodes ALAC', async () => {
    expect((await playAndProbe('Kitchen', 'Cover.flac')).playing).toMatchObject({ container: 'flac', audioCodec: 'flac', videoCodec: null });
    expect((await playAndProbe('Kitchen', 'Tagged')).playing).toMatchObject({ container: 'mp3', audioCodec: 'mp3' });
    const alac = await playAndProbe('Kitchen', 'Alac');
    expect(alac.playing).toMatchObject({ audioCodec: 'flac' });
    expect(alac.stdout).toMatch(/Transcoding: .*ALAC/);
  });

  it('transcodes HEVC/AC3 to H.264/AAC for a 2nd-gen Chromecast and keeps HEVC for an Ultra', async () => {
    const old = await playAndProbe('Test TV', 'The Movie');
    expect(old.playing).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac' });
    expect(old.stdout).toMatch(/Transcoding: .*HEVC.*Chromecast/);
    const ultra = await playAndProbe('Ultra TV', 'The Movie');
    expect(ultra.playing).toMatchObject({ videoCodec: 'hevc' });
  });

  it('pauses, resumes, seeks, sets the volume and stops', async () => {
    const tv = emulators.get('Test TV')!;
    await playAndProbe('Test TV', LONG_ALBUM.tracks[0]!.title);
    let mark = tv.out.lines.length;
    expect((await cli('pause', '--to', 'Test TV')).code).toBe(0);
    await nextEvent(tv, 'paused', mark);
    mark = tv.out.lines.length;
    expect((await cli('resume', '--to', 'Test TV')).code).toBe(0);
    await nextEvent(tv, 'playing', mark);
    mark = tv.out.lines.length;
    expect((await cli('seek', '1.5', '--to', 'Test TV')).code).toBe(0);
    expect((await nextEvent(tv, 'seek', mark)).position as number).toBeCloseTo(1.5, 0);
    mark = tv.out.lines.length;
    expect((await cli('volume', '30', '--to', 'Test TV')).code).toBe(0);
    expect((await nextEvent(tv, 'volume', mark)).level as number).toBeCloseTo(0.3, 2);
    mark = tv.out.lines.length;
    expect((await cli('stop', '--to', 'Test TV')).code).toBe(0);
    expect(await nextEvent(tv, 'idle', mark)).toMatchObject({ reason: 'CANCELLED' });
  });

  it('seeks in a transcoded stream by restarting the transcode at the offset, and keeps the position right', async () => {
    const tv = emulators.get('Test TV')!;
    await playAndProbe('Test TV', 'The Movie');
    const mark = tv.out.lines.length;
    const r = await cli('seek', '1.5', '--to', 'Test TV', '--json');
    expect(r.code, r.stderr).toBe(0);
    const load = await nextEvent(tv, 'load', mark);
    expect(load.url).toMatch(/[?&]start=1\.5(&|$)/);
    await nextEvent(tv, 'playing', mark);
    const [session] = JSON.parse((await cli('status', '--to', 'Test TV', '--json')).stdout) as { position: number; at: number; rate: number; duration: number }[];
    const now = session!.position + (session!.rate * (Date.now() - session!.at)) / 1000;
    expect(now).toBeGreaterThanOrEqual(1.5);
    // Played to its end already (1.5 s left; the CLI is slow on a loaded machine), it stops where the
    // restarted transcode ends: ffmpeg's output runs ~0.1 s past the source's duration (whole frames).
    expect(now).toBeLessThanOrEqual(session!.duration + 0.2);
    expect(session!.duration).toBeCloseTo(lib.fx.files.movie.durationSec, 0);
  });

  it('refuses clearly: unknown receiver, nothing matching', async () => {
    const unknown = await cli('play', '--to', 'Garage', 'Tagged');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown receiver "Garage"/);
    const nothing = await cli('play', '--to', 'Test TV', 'zzzz-no-such-thing');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/nothing in the library matches/);
  });

  it('marks a receiver that dies offline with its session idle, and finds it again when it returns', async () => {
    await playAndProbe('Kitchen', 'Cover.flac');
    const kitchen = emulators.get('Kitchen')!;
    const mark = server.lines.length;
    kitchen.proc.kill('SIGKILL');
    await server.wait(/ receiver offline .*name=Kitchen /, 20_000, mark);
    const status = JSON.parse((await cli('status', '--json')).stdout) as { receiverId: string; state: string; idleReason?: string; error?: string; queue: unknown[] }[];
    const session = status.find((s) => s.receiverId.startsWith('chromecast:') && s.idleReason === 'gone');
    expect(session).toMatchObject({ state: 'idle', idleReason: 'gone', error: expect.stringMatching(/Kitchen/) });
    expect(session!.queue.length).toBeGreaterThan(0);
    const offline = await cli('play', '--to', 'Kitchen', 'Tagged');
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/Kitchen is offline/);
    const back = server.lines.length;
    startEmulator('Kitchen', 'Google Home', 8011);
    await server.wait(/ receiver online .*name=Kitchen /, 30_000, back);
    expect((await playAndProbe('Kitchen', 'Tagged')).playing).toMatchObject({ audioCodec: 'mp3' });
  });
});
