// The real server's media routes from the outside: only library files, only with a valid
// signature, never a path; live transcodes probed by ffprobe; ffmpeg gone when the client is.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner } from '../../../server/media/signing.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';
import { childrenNamed } from '../../helpers/processes.js';

const run = promisify(execFile);

interface List<T> { items: T[]; total: number }
type Item = { id: number; title: string; path: string; streamUrl: string; artUrl: string | null };

let lib: LibraryCopy;
let server: RunningServer;
let signer: ReturnType<typeof createSigner>;

/** A raw request: fetch() would normalise `..` away before it leaves. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c.slice(0, 100_000)));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function items(kind: string): Promise<Item[]> {
  return (await server.get<List<Item>>(`/api/library/${kind}?limit=500`)).body.items;
}

const ffmpegChildren = () => childrenNamed(server.pid, 'ffmpeg');

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  // Things a library must never expose: a symlinked file and folder that lead outside.
  await symlink('/etc/passwd', join(lib.music, 'evil.mp3'));
  await symlink('/etc', join(lib.music, 'etc-link'));
  // A long, quiet track, so a transcode outlives the client that asked for it.
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '600', '-c:a', 'flac', join(lib.music, 'Long.flac')]);
  server = await startServer({
    config: { libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }], scan: { watch: false } },
  });
  await scanFinished(server, 'Video');
  signer = createSigner({ secret: readFileSync(join(server.dataDir, 'secret')), ttlSeconds: 3600 });
});

afterAll(async () => {
  await server?.stop();
});

describe('nothing outside the library is served', () => {
  it('skips symlinks that lead out of the library when scanning', async () => {
    const paths = (await items('tracks')).map((t) => t.path);
    expect(paths).not.toContain('evil.mp3');
    expect(paths.some((p) => p.startsWith('etc-link'))).toBe(false);
    expect(server.lines.some((l) => / skipped .*evil\.mp3 .*outside the library/.test(l))).toBe(true);
  });

  it.each([
    '/media/..%2f..%2f..%2fetc%2fpasswd',
    '/media/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/media/../../../etc/passwd',
    '/media//etc/passwd',
    '/media/%2Fetc%2Fpasswd',
    '/media/1/../../../../etc/passwd',
    '/media/1%00/etc/passwd',
    '/art/..%2f..%2fsecret',
    '/art/%2e%2e%2f%2e%2e%2flibrary.db',
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%5c..%5c..%5cetc%5cpasswd',
    '/secret',
    '/library.db',
    '/data/secret',
  ])('refuses %s', async (path) => {
    const r = await rawGet(path);
    expect(r.status).not.toBe(200);
    expect(r.body).not.toMatch(/root:.*:0:0:/);
  });

  it('refuses a scanned file that became a symlink out of the library', async () => {
    const t = (await items('tracks')).find((x) => x.path === 'Alpha Artist/First Album/02 Second.mp3')!;
    expect((await fetch(server.url + t.streamUrl)).status).toBe(200);
    await rm(lib.at('music/Alpha Artist/First Album/02 Second.mp3'));
    await symlink('/etc/passwd', lib.at('music/Alpha Artist/First Album/02 Second.mp3'));
    const r = await fetch(server.url + t.streamUrl);
    expect(r.status).toBe(403);
    expect(await r.text()).not.toMatch(/root:/);
  });

  it('refuses expired and tampered signatures', async () => {
    const t = (await items('tracks')).find((x) => x.path === 'Alpha Artist/First Album/01 Tagged.mp3')!;
    const old = createSigner({ secret: readFileSync(join(server.dataDir, 'secret')), ttlSeconds: 60, now: () => Date.now() - 3 * 3600_000 });
    const expired = await fetch(server.url + old.streamUrl(t.id));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
    const foreign = createSigner({ secret: Buffer.alloc(32, 1), ttlSeconds: 3600 });
    expect((await fetch(server.url + foreign.streamUrl(t.id))).status).toBe(403);
    expect((await fetch(server.url + signer.streamUrl(t.id))).status).toBe(200);
    expect((await fetch(`${server.url}/media/${t.id}`)).status).toBe(403);
  });
});

describe('subtitles as WebVTT', () => {
  it('serves the SRT beside a video and an embedded text stream, signed, for any origin', async () => {
    const movie = (await items('videos')).find((v) => v.path === 'Movie.mkv')! as Item & { subtitles: { source: string; language: string | null }[] };
    const external = movie.subtitles.findIndex((s) => s.source === 'external');
    const embedded = movie.subtitles.findIndex((s) => s.source === 'embedded');
    for (const [n, cues] of [[external, lib.fx.files.movie.sidecarSubtitles[0]!.cues], [embedded, ['Bonjour']]] as const) {
      const r = await fetch(server.url + signer.signPath(`/subs/${movie.id}/${n}`));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/vtt/);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      const text = await r.text();
      expect(text).toMatch(/^WEBVTT/);
      expect(text).toMatch(/(\d\d:)?\d\d:\d\d\.\d{3} --> /);
      for (const cue of cues) expect(text).toContain(cue);
    }
    expect((await fetch(`${server.url}/subs/${movie.id}/0`)).status).toBe(403);
    expect((await fetch(server.url + signer.signPath(`/subs/${movie.id}/9`))).status).toBe(404);
  });
});

describe('live transcode through the real server', () => {
  it('turns the HEVC/AC3 MKV into H.264/AAC that ffprobe reads back', async () => {
    const movie = (await items('videos')).find((v) => v.path === 'Movie.mkv')!;
    const res = await fetch(server.url + signer.streamUrl(movie.id, { container: 'matroska', videoCodec: 'h264', audioCodec: 'aac' }));
    expect(res.status).toBe(200);
    const out = join(server.dataDir, 'movie-h264.mkv');
    await writeFile(out, Buffer.from(await res.arrayBuffer()));
    const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', out]);
    const p = JSON.parse(stdout) as { streams: { codec_type: string; codec_name: string }[]; format: { duration: string } };
    expect(p.streams.filter((s) => s.codec_type !== 'subtitle').map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(Number(p.format.duration)).toBeCloseTo(lib.fx.files.movie.durationSec, 0);
  });

  it('kills ffmpeg when the client goes away', async () => {
    const long = (await items('tracks')).find((t) => t.path === 'Long.flac')!;
    const url = new URL(server.url + signer.streamUrl(long.id, { container: 'wav', audioCodec: 'pcm_s16le' }));
    const req = http.get(url);
    const res = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
    expect(res.statusCode).toBe(200);
    await new Promise((resolve) => res.once('data', resolve)); // ffmpeg is producing
    expect(ffmpegChildren()).toHaveLength(1);
    req.destroy();
    const deadline = Date.now() + 5000;
    while (ffmpegChildren().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(ffmpegChildren()).toEqual([]);
  });

  it('the original file still streams byte for byte with ranges', async () => {
    const t = (await items('tracks')).find((x) => x.path === 'Beta Band/Covered/01 Cover.flac')!;
    const whole = await readFile(lib.at('music/Beta Band/Covered/01 Cover.flac'));
    const r = await fetch(server.url + t.streamUrl, { headers: { Range: 'bytes=100-199' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(Buffer.from(await r.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);
    expect((await fetch(server.url + t.streamUrl, { headers: { Range: `bytes=${whole.length + 10}-` } })).status).toBe(416);
  });
});
