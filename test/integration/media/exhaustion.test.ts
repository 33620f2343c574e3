// Clients cannot exhaust the server's encoders: many fetches of one transcode URL share an
// ffmpeg (each from its first byte) or are refused with Retry-After, never more ffmpegs than the
// cap; a client that stops reading loses its stream and, if it was the last, its ffmpeg.
// The real server over loopback; ffmpeg processes counted as the server's children in /proc.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hlsUrl } from '../../../server/media/hls-url.js';
import { createSigner } from '../../../server/media/signing.js';
import { ffmpeg } from '../../fixtures/ffmpeg.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { childrenNamed } from '../../helpers/processes.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }

const SECONDS = 300;
const PCM_BYTES = SECONDS * 44_100 * 2 * 2; // stereo s16le: far more than loopback socket buffers hold
const IDLE_SECONDS = 1;
const MAX_PROCESSES = 2;

let lib: LibraryCopy;
let server: RunningServer;
let url: string;
/** The same item in another target: another URL. */
let otherUrl: string;
/** The first segment of an HLS stream of a video (its own ffmpeg), and of another stream of it (another ffmpeg). */
let hlsSegment: string;
let secondHls: string;
let label: string;

interface Client {
  status: number;
  retryAfter: string | undefined;
  /** The first bytes of the body (up to what was asked for). */
  head: Buffer;
  bytes: number;
  respondedAt: number;
  res: http.IncomingMessage;
  req: http.ClientRequest;
  /** Resolves with the time the connection closed. */
  closed: Promise<number>;
}

/** Opens `path` and reads `upTo` bytes of the body (then stops reading), or all of it. Resolves
 *  once those bytes came (at once for 0 or 'all', or for an error status). */
function open(path: string, upTo: number | 'all'): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path, agent: false });
    req.on('error', () => {}); // a socket the server cut
    const closed = new Promise<number>((r) => req.once('close', () => r(performance.now())));
    req.once('response', (res) => {
      const c: Client = { status: res.statusCode!, retryAfter: res.headers['retry-after'], head: Buffer.alloc(0), bytes: 0, respondedAt: performance.now(), res, req, closed };
      if (c.status !== 200) return (res.resume(), resolve(c));
      if (upTo === 0) return (res.pause(), resolve(c)); // reads nothing, ever
      res.on('data', (chunk: Buffer) => {
        c.bytes += chunk.length;
        if (upTo === 'all') return;
        if (c.head.length < upTo) c.head = Buffer.concat([c.head, chunk.subarray(0, upTo - c.head.length)]);
        if (c.head.length >= upTo) (res.pause(), resolve(c));
      });
      if (upTo === 'all') resolve(c);
    });
    req.once('close', () => reject(new Error('closed before an answer')));
  });
}

/** Resolves once a reading client has had `n` bytes. */
function readPast(c: Client, n: number): Promise<Client> {
  return new Promise((resolve) => {
    const check = () => c.bytes >= n && (c.res.off('data', check), resolve(c));
    c.res.on('data', check);
    check();
  });
}

/** From now on reads 512 KiB every 250 ms (2 MiB/s, the rest of the stream in ~25 s): a reader that
 *  keeps its stream and its ffmpeg alive (never idle long enough to be dropped) without reaching
 *  the end while the test looks (a decode of silence at full speed ends within a second). */
function trickle(c: Client): Client {
  const step = 512 << 10;
  let budget = c.bytes + step;
  c.res.on('data', () => c.bytes >= budget && c.res.pause());
  const tick = setInterval(() => ((budget = c.bytes + step), c.res.resume()), 250);
  c.req.once('close', () => clearInterval(tick));
  return c;
}

const ffmpegs = () => childrenNamed(server.pid, 'ffmpeg');
const startsOf = (after = 0) => server.lines.slice(after).filter((l) => l.includes(` transcode start label=${label} `)).length;

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', String(SECONDS), '-c:a', 'flac', join(lib.music, 'Long.flac')]);
  // A video long enough that its HLS run still holds its slot while the test looks (a short clip's ends at once).
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=10', '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', join(lib.video, 'Long.mp4')]);
  server = await startServer({
    config: { libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }], scan: { watch: false }, logLevel: 'debug', transcode: { maxProcesses: MAX_PROCESSES, perUrl: 2, idleSeconds: IDLE_SECONDS } },
  });
  await scanFinished(server, 'Video');
  const long = (await server.get<List<{ id: number; path: string }>>('/api/library/tracks?limit=500')).body.items.find((t) => t.path === 'Long.flac')!;
  const signer = createSigner({ secret: readFileSync(join(server.dataDir, 'secret')), ttlSeconds: 3600 });
  url = signer.streamUrl(long.id, { container: 'wav', audioCodec: 'pcm_s16le' });
  otherUrl = signer.streamUrl(long.id, { container: 'flac', audioCodec: 'flac' });
  const longVideo = (await server.get<List<{ id: number; path: string }>>('/api/library/videos?limit=500')).body.items.find((v) => v.path === 'Long.mp4')!;
  const segmentOf = () => hlsUrl(signer, longVideo.id, { container: 'hls', videoCodec: 'h264', audioCodec: 'aac' }).replace('/index.m3u8?', '/0.ts?');
  hlsSegment = segmentOf();
  secondHls = segmentOf();
  label = `media/${long.id}`;
});

afterAll(async () => {
  await server?.stop();
});

const at = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));

/** The first `n` log lines matching `pattern` after line `after`, waiting for them. */
async function linesAfter(after: number, pattern: RegExp, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let from = after; out.length < n; ) {
    const line = await server.waitForLine(pattern, 20_000, from);
    from = server.lines.indexOf(line, from) + 1;
    out.push(line);
  }
  return out;
}

/** Waits for `n` "reader dropped" lines after line `after`; each comes at least the idle time after the stream started (server clock). */
async function droppedAfter(after: number, n: number): Promise<void> {
  const [start] = await linesAfter(after, new RegExp(` transcode start label=${label} `), 1);
  for (const line of await linesAfter(after, new RegExp(` transcode reader dropped label=${label} `), n)) expect(at(line) - at(start!)).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000);
}

/** A dropped client that reads again gets what the kernel still held, then the end: short of the whole stream. */
async function cutShort(clients: Client[]): Promise<void> {
  for (const c of clients) {
    c.res.on('data', (chunk: Buffer) => (c.bytes += chunk.length));
    c.res.on('error', () => {});
    c.res.resume();
    await c.closed;
    expect(c.bytes).toBeLessThan(PCM_BYTES);
  }
}

describe('exhaustion', () => {
  it('20 clients on one transcode URL run at most the cap of ffmpegs; each gets the stream from its first byte', async () => {
    const mark = server.lines.length;
    let most = 0;
    const count = () => (most = Math.max(most, ffmpegs().length));
    const clients = await Promise.all(Array.from({ length: 20 }, () => open(url, 256 * 1024).then((c) => (count(), c))));
    count();
    const ok = clients.filter((c) => c.status === 200);
    const refused = clients.filter((c) => c.status !== 200);
    console.log(`20 clients: ${ok.length} served, ${refused.length} refused, ${startsOf(mark)} ffmpeg started, at most ${most} running`);
    expect(startsOf(mark)).toBeLessThanOrEqual(MAX_PROCESSES);
    expect(most).toBeLessThanOrEqual(MAX_PROCESSES);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const c of refused) expect([c.status, c.retryAfter]).toEqual([429, expect.stringMatching(/^\d+$/)]);
    // Every reader got the same bytes from the start (RIFF header first), shared or not.
    for (const c of ok) expect(c.head.equals(ok[0]!.head)).toBe(true);
    expect(ok[0]!.head.toString('latin1', 0, 4)).toBe('RIFF');
    for (const c of clients) c.req.destroy();
    await Promise.all(clients.map((c) => c.closed));
    await linesAfter(mark, / transcode exit /, startsOf(mark));
    expect(ffmpegs()).toEqual([]);
  });

  it('drops clients that stop reading; one that reads gets the whole stream', async () => {
    const mark = server.lines.length;
    const [reader, ...idle] = await Promise.all([open(url, 'all'), open(url, 0), open(url, 0)]);
    expect([reader!.status, ...idle.map((c) => c.status)]).toEqual([200, 200, 200]);
    // Shared, unless a fetch came after the first MB was out (a loaded machine): then its own.
    expect(startsOf(mark)).toBeLessThanOrEqual(2);
    await droppedAfter(mark, 2);
    await new Promise<void>((resolve) => (reader!.res.readableEnded ? resolve() : reader!.res.once('end', () => resolve())));
    expect(reader!.bytes).toBeGreaterThanOrEqual(PCM_BYTES);
    expect(reader!.bytes).toBeLessThan(PCM_BYTES + 1024); // the WAV header
    const exits = await linesAfter(mark, / transcode exit /, startsOf(mark));
    expect(exits.filter((l) => / clientGone=false/.test(l))).toHaveLength(1); // the reader's ran to its end
    await cutShort(idle);
  });

  it('a stream nobody reads loses its ffmpeg', async () => {
    const mark = server.lines.length;
    const idle = await Promise.all([open(url, 0), open(url, 0)]);
    expect(idle.map((c) => c.status)).toEqual([200, 200]);
    await droppedAfter(mark, 2);
    const exits = await linesAfter(mark, / transcode exit /, startsOf(mark));
    expect(exits.every((l) => / clientGone=true/.test(l))).toBe(true);
    const pids = exits.map((l) => Number(/pid=(\d+)/.exec(l)![1]));
    expect(ffmpegs().filter((p) => pids.includes(p))).toEqual([]);
    await cutShort(idle);
  });

  it('past the first bytes, a fetch gets its own ffmpeg up to the per-URL cap, then 429; the global cap counts video encoders (audio-only an eighth) and answers 503', async () => {
    const mark = server.lines.length;
    // Readers that keep reading, each past what a newcomer could still be given from the start.
    // Then slowly: read at full speed, a decode of silence is over before the HLS part below looks.
    const a = trickle(await readPast(await open(url, 'all'), 2 << 20));
    const b = trickle(await readPast(await open(url, 'all'), 2 << 20));
    const c = await open(url, 0);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([c.status, c.retryAfter]).toEqual([429, expect.stringMatching(/^\d+$/)]);
    // Audio-only transcodes cost an eighth of the cap each: a third one still starts.
    const other = await open(otherUrl, 0);
    expect(other.status).toBe(200);
    expect(startsOf(mark)).toBe(3);
    // HLS runs of a video encode H.264: a whole slot each. 3/8 + 1 fits the cap of 2; 3/8 + 2 does not
    // (nor 2/8 + 2, once the FLAC one has ended: silence fits in the sockets, it may be over).
    const hls = await fetch(server.url + hlsSegment);
    expect(hls.status).toBe(200);
    expect(Buffer.from(await hls.arrayBuffer())[0]).toBe(0x47); // an MPEG-TS sync byte
    const hlsBusy = await fetch(server.url + secondHls);
    expect([hlsBusy.status, hlsBusy.headers.get('retry-after')]).toEqual([503, expect.stringMatching(/^\d+$/)]);
    for (const x of [a, b, c, other]) x.req.destroy();
    await linesAfter(mark, / transcode exit /, 3);
    // The audio transcodes gone, the second video run fits.
    const secondNow = await fetch(server.url + secondHls);
    expect(secondNow.status).toBe(200);
    expect(Buffer.from(await secondNow.arrayBuffer())[0]).toBe(0x47);
  });
});
