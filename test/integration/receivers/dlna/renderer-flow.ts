// The path a person takes with a DLNA renderer, run against any renderer that a test starts in a
// network namespace (gmediarender, our software renderer): the server finds it by SSDP, the CLI
// lists it and plays an album from the library on it, pause/resume/seek/volume reach it, the end of
// a track moves the queue on, and a renderer that dies is offline within 10 s. Each renderer says
// through `watch` how it shows what it does (gmediarender's log lines, our renderer's JSON events).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_ALBUM, makeLongAlbum } from '../../../e2e/long-album.js';
import { runCli } from '../../../helpers/cli.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../../helpers/library-copy.js';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { projectRoot } from '../../../helpers/paths.js';
import { ownerTokenAt } from '../../../helpers/server.js';

export interface StartedRenderer {
  proc: ChildProcess;
  out: LineReader;
}

/** How a renderer shows what it was told: each resolves with the matching output (from line `after` on). */
export interface RendererWatch {
  /** It plays a URL (other than `not`). Resolves with the URL. */
  playingUrl(after: number, not?: string): Promise<string>;
  paused(after: number): Promise<void>;
  resumed(after: number): Promise<void>;
  /** Its volume became `percent`. */
  volume(percent: number, after: number): Promise<void>;
  /** It plays at `seconds` or later into the current item (after a seek). */
  positionAtLeast(seconds: number, after: number): Promise<void>;
}

export interface RendererUnderTest {
  label: string;
  name: string;
  /** It lists SetNextAVTransportURI and goes on to the next track by itself. */
  gapless: boolean;
  start(ns: Netns): StartedRenderer;
  watch(r: StartedRenderer): RendererWatch;
}

const node = process.execPath;
const dist = (p: string) => join(projectRoot, 'dist', p);
const named = (name: string) => (name.includes(' ') ? `name="${name}"` : `name=${name}`);

/** The first line from `after` on that matches `pattern` and passes `ok`. */
export async function waitLine(out: LineReader, pattern: RegExp, ok: (line: string) => boolean, timeoutMs: number, after: number): Promise<string> {
  let from = after;
  for (;;) {
    const line = await out.wait(pattern, timeoutMs, from);
    from = out.lines.indexOf(line, from) + 1;
    if (ok(line)) return line;
  }
}

interface SessionView { receiverId: string; state: string; idleReason?: string; current?: { title?: string } | null; queue: { title?: string }[]; index?: number }

/** The server as the main program runs it, inside `ns` (SSDP on, mDNS off), with the fixture library and the long album (and with `photos`, the fixture photos too). */
export async function startDlnaTestServer(ns: Netns, opts: { photos?: boolean } = {}): Promise<{ server: LineReader; url: string; lib: LibraryCopy; cli(...args: string[]): ReturnType<Netns['run']> }> {
  const lib = await copyFixtureLibrary();
  await makeLongAlbum(lib.music);
  const dataDir = await mkdtemp(join(tmpdir(), 'hc-dlna-'));
  const config = join(dataDir, 'config.json');
  await writeFile(config, JSON.stringify({
    host: '0.0.0.0', port: 8420, dataDir,
    libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, ...(opts.photos ? [{ name: 'Photos', path: lib.photos, kind: 'photo' }] : [])],
    scan: { watch: false }, discovery: { mdns: false, ssdp: true, heartbeatSeconds: 2 }, sendspin: { enabled: false },
  }));
  const server = readLines(ns.spawn(node, [dist('server/main.js'), '--config', config]), 'server');
  const url = `http://${ns.addr}:8420`;
  await server.wait(/ listening /);
  await server.wait(/ scan finished library=Music /, 60_000);
  if (opts.photos) await server.wait(/ scan finished library=Photos /, 60_000);
  // The CLI as the owner would use it after `login` (accounts are on).
  const token = await ownerTokenAt(url, ns, (p) => server.wait(p));
  return { server, url, lib, cli: (...args: string[]) => runCli(args, { server: url, token, netns: ns }) };
}

/** Waits for the server to say the receiver of this name is online (found by SSDP). */
export function onlineLine(server: LineReader, name: string, after = 0): Promise<string> {
  return server.wait(new RegExp(` receiver online .*${named(name)} .*kind=dlna`), 30_000, after);
}

export function rendererFlow(r: RendererUnderTest): void {
  let ns: Netns;
  let server: LineReader;
  let cli: (...args: string[]) => ReturnType<Netns['run']>;
  let renderer: StartedRenderer;
  let watch: RendererWatch;

  beforeAll(async () => {
    ns = await createNetns();
    ({ server, cli } = await startDlnaTestServer(ns));
    renderer = r.start(ns);
    watch = r.watch(renderer);
    await onlineLine(server, r.name);
  }, 120_000);

  afterAll(async () => {
    await ns?.close();
  });

  describe(`DLNA renderer: ${r.label}`, () => {
    it('is listed by the CLI, found by SSDP', async () => {
      const out = await cli('receivers', '--json');
      const list = JSON.parse(out.stdout) as { id: string; name: string; kind: string; online: boolean; host: string; source: string }[];
      expect(list).toContainEqual(expect.objectContaining({ name: r.name, kind: 'dlna', online: true, host: ns.peerAddr, source: 'ssdp' }));
    });

    it('plays an album from the library: pause, resume, volume and seek reach it, and the end of a track moves the queue on', { timeout: 120_000 }, async () => {
      let mark = renderer.out.lines.length;
      const play = await cli('play', '--to', r.name, `${LONG_ALBUM.artist}/${LONG_ALBUM.album}`);
      expect(play.code, play.stderr).toBe(0);
      const url = await watch.playingUrl(mark);
      // Our signed URL, on one of the server's addresses in the namespace (both are local to it).
      expect(new URL(url)).toMatchObject({ port: '8420', hostname: expect.stringMatching(new RegExp(`^(${ns.addr}|${ns.peerAddr})$`)) });
      expect(new URL(url).searchParams.get('sig')).toBeTruthy();

      mark = renderer.out.lines.length;
      expect((await cli('pause', '--to', r.name)).code).toBe(0);
      await watch.paused(mark);
      mark = renderer.out.lines.length;
      expect((await cli('resume', '--to', r.name)).code).toBe(0);
      await watch.resumed(mark);

      mark = renderer.out.lines.length;
      expect((await cli('volume', '30', '--to', r.name)).code).toBe(0);
      await watch.volume(30, mark);

      // Near the end of the first track: it plays from there and then goes on to the second.
      const first = LONG_ALBUM.tracks[0]!.seconds;
      mark = renderer.out.lines.length;
      const serverMark = server.lines.length;
      const seek = await cli('seek', String(first - 4), '--to', r.name);
      expect(seek.code, seek.stderr).toBe(0);
      await watch.positionAtLeast(first - 4, mark);
      const second = await watch.playingUrl(mark, url);
      expect(second).toMatch(/[?&]sig=/);
      const advanced = await server.wait(new RegExp(` playing .*title="${LONG_ALBUM.tracks[1]!.title}"`), 30_000, serverMark);
      expect(advanced.includes('gapless=true')).toBe(r.gapless);
      const status = JSON.parse((await cli('status', '--to', r.name, '--json')).stdout) as SessionView[];
      expect(JSON.stringify(status[0])).toContain(LONG_ALBUM.tracks[1]!.title);
      expect(status[0]).toMatchObject({ state: 'playing' });
    });

    it('is offline within 10 s of being killed', { timeout: 30_000 }, async () => {
      const mark = server.lines.length;
      const t0 = Date.now();
      renderer.proc.kill('SIGKILL');
      await server.wait(new RegExp(` receiver offline .*${named(r.name)} `), 10_000, mark);
      expect(Date.now() - t0).toBeLessThanOrEqual(10_000);
    });
  });
}
