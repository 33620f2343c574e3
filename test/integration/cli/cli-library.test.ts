// The library's pages through the real command line (dist/server/cli/main.js) against a real
// server and scan: an album by name or id, an artist, tracks filtered by genre and year, the
// genres and years, TV shows and one show, `--play` to an emulated Chromecast. And "up next": an
// episode played last in a queue has its show's next episode queued after it, which plays when it
// ends (the remote sees it in the queue, `status` names it).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { runCli } from '../../helpers/cli.js';
import { command } from '../../helpers/groups.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { sessionPushes, type SessionPushes } from '../../helpers/session-pushes.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

const EPISODES = [
  'Shows/Night Shift/Season 01/Night Shift - S01E02 - The Call.mp4',
  'Shows/Night Shift/Season 01/Night Shift - S01E01 - Pilot.mp4',
  'Shows/Night Shift/Season 02/Night.Shift.S02E01.mp4',
  'Shows/Night Shift/Specials/Night Shift - S00E01 - Behind the Scenes.mp4',
];
type Episode = { id: number; season: number; episode: number | null; title: string };
type Show = { name: string; seasons: { season: number; episodes: Episode[] }[] };

let lib: LibraryCopy;
let cast: CastEmulator;
let server: RunningServer;
let socket: Socket;
let pushes: SessionPushes;

const cli = async (...args: string[]) => runCli(args, { server: server.url, token: server.token });
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  for (const rel of EPISODES) {
    await mkdir(dirname(join(lib.video, rel)), { recursive: true });
    await copyFile(lib.at('video/Clip.mp4'), join(lib.video, rel));
  }
  cast = await startCastEmulator({ name: 'Tube', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }],
      receivers: [{ kind: 'chromecast', name: 'Tube', host: cast.host, port: cast.port, model: 'Chromecast', type: 'tv' }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await Promise.all(['Music', 'Video'].map((l) => scanFinished(server, l)));
  socket = server.io({ transports: ['websocket'], reconnection: false });
  pushes = sessionPushes(socket);
  await new Promise((resolve) => socket.once('snapshot', resolve));
}, 120_000);

beforeEach(() => onTestFailed(() => console.error(server.lines.slice(-30).join('\n'))));

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await cast?.close();
  if (lib) await rm(lib.root, { recursive: true, force: true });
});

describe('cli: library pages', () => {
  it('an album by name or id, an artist, with their tracks in order', { timeout: 60_000 }, async () => {
    const album = await ok('album', 'first album');
    expect(album.split('\n')[0]).toBe('First Album  —  Alpha Artist (2001)  [Rock]');
    expect(album).toMatch(/01\. Tagged  —  Alpha Artist  0:03\n.*02\. Second  —  Alpha Artist  0:02\n2 tracks, 0:05/);
    const id = (JSON.parse(await ok('album', 'First Album', '--json')) as { id: number }).id;
    expect(await ok('album', String(id))).toBe(album);
    const none = await cli('album', 'Nothing Like It');
    expect([none.code, none.stderr]).toEqual([1, 'error: no album matching "Nothing Like It"\n']);

    const artist = await ok('artist', 'alpha artist');
    expect(artist).toMatch(/^Alpha Artist\nalbums:\n.*First Album  —  Alpha Artist \(2001\)  2 tracks, 0:05\ntracks:\n.*Tagged.*\n.*Second/);
  });

  it('tracks by genre and year; the genres and years there are', { timeout: 60_000 }, async () => {
    type T = { title: string; genre: string | null; year: number | null };
    const jazz = (JSON.parse(await ok('tracks', '--genre', 'jazz', '--json')) as { items: T[] }).items;
    expect(jazz.length).toBeGreaterThan(0);
    expect(jazz.every((t) => t.genre === 'Jazz')).toBe(true);
    const y2001 = (JSON.parse(await ok('tracks', '--year', '2001', '--sort', 'name', '--json')) as { items: T[] }).items;
    expect(y2001.map((t) => t.title)).toEqual(['Second', 'Tagged']);
    expect(await ok('tracks', 'tagged', '--year', '1999')).toBe('no tracks\n');
    expect(await ok('genres')).toMatch(/^Jazz {2}\(\d+ tracks, 1 albums\)$/m);
    expect(await ok('years')).toMatch(/^2001 {2}\(2 tracks, 1 albums\)$/m);
    const bad = await cli('tracks', '--year', 'soon');
    expect([bad.code, bad.stderr]).toEqual([1, 'error: --year soon: a year is a number such as 1999\n']);
  });

  it('shows, one show\'s seasons and episodes, and --play queues its seasons in order', { timeout: 60_000 }, async () => {
    expect(await ok('shows')).toBe('Night Shift  (Season 1, Season 2, Specials; 4 episodes)\n');
    const show = await ok('show', 'night shift');
    expect(show.replace(/^ *\d+ {2}/gm, '')).toBe('Night Shift\nSeason 1:\nS01E01  Pilot  0:03\nS01E02  The Call  0:03\nSeason 2:\nS02E01  Episode 1  0:03\nSpecials:\nSPE01  Behind the Scenes  0:03\n');
    const ids = (JSON.parse(await ok('show', 'Night Shift', '--json')) as Show).seasons.filter((s) => s.season !== 0).flatMap((s) => s.episodes.map((e) => e.id));
    const played = await ok('show', 'Night Shift', '--play', '--to', 'Tube', '--json');
    expect((JSON.parse(played) as SessionSnapshot).queue.map((e) => e.itemId)).toEqual(ids);
    const noPlace = await cli('show', 'Night Shift', '--play');
    expect(noPlace.stderr).toMatch(/^error: say which receiver with --to NAME/);
    await ok('stop', '--to', 'Tube');
  });
});

describe('up next', () => {
  it('an episode played last has its show\'s next one queued after it, which plays when it ends', { timeout: 90_000 }, async () => {
    const show = (await server.get<{ items: Show[] }>('/api/library/shows')).body.items[0]!;
    const [e1, e2] = show.seasons[0]!.episodes;
    const s2e1 = show.seasons[1]!.episodes[0]!;
    const special = show.seasons.find((s) => s.season === 0)!.episodes[0]!;
    const from = pushes.all.length;
    const ack = await command<SessionSnapshot>(socket, 'playback:play', { receiver: 'Tube', what: [e2!.id] });
    if (!ack.ok) throw new Error(ack.error);
    // Queued at once: the remote shows it in the queue, marked as up next.
    expect(ack.data.queue.map((e) => [e.itemId, e.upNext ?? false])).toEqual([[e2!.id, false], [s2e1.id, true]]);
    // Paused while the CLI starts (the episode is 3 s long: on a loaded machine it could end first).
    expect((await command(socket, 'playback:pause', { receiver: 'Tube' })).ok).toBe(true);
    expect(await ok('status', '--to', 'Tube')).toMatch(/up next: .*the show's next episode/);
    expect((await command(socket, 'playback:resume', { receiver: 'Tube' })).ok).toBe(true);
    // When it ends, the next episode plays; the last regular episode queues nothing (specials are not next).
    const { s } = await pushes.next(ack.data.receiverId, (x) => x.item?.id === s2e1.id && x.state === 'playing', from);
    expect(s.index).toBe(1);
    expect(s.queue.map((e) => e.itemId)).toEqual([e2!.id, s2e1.id]);
    await ok('stop', '--to', 'Tube');
    // An episode with more queued after it gets nothing added; nor does a special.
    const both = await command<SessionSnapshot>(socket, 'playback:play', { receiver: 'Tube', what: [e1!.id, special.id] });
    expect(both.ok && both.data.queue.map((e) => e.itemId)).toEqual([e1!.id, special.id]);
    await ok('stop', '--to', 'Tube');
  });
});
