// The Cast driver against the in-process emulator over real TLS on 127.0.0.1, media from a local
// HTTP server. Connection trouble is made by a TCP relay between the two: `drop` cuts the sockets
// (the emulator keeps its app and media session, as a device does when Wi-Fi blips), `silence`
// stops forwarding without closing (a half-open connection only the heartbeat notices).
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CastReceiver, type DriverTiming } from '../../../../receivers/chromecast/driver.js';
import { startCastEmulator, type CastEmulator, type ReceivedCommand } from '../../../../receivers/chromecast/emulator.js';
import type { LoadRequest, MediaMetadata, ReceiverDescriptor, ReceiverStatus } from '../../../../receivers/types.js';
import { FIXTURES_TIMEOUT_MS, loadFixtures, type Fixtures } from '../../../helpers/fixtures.js';
import { startFileServer, type FileServer } from './file-server.js';
import { makeTestMedia, type TestMedia } from './media.js';

const MEDIA_NS = 'urn:x-cast:com.google.cast.media';
const FAST: Partial<DriverTiming> = { firstRetryMs: 100, reconnectWindowMs: 3000, pingIntervalMs: 1000, deadAfterMs: 3000 };

let fx: Fixtures;
let media: TestMedia;
let files: FileServer;
let emu: CastEmulator;
let commands: ReceivedCommand[] = [];
const cleanup: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  fx = await loadFixtures();
  media = await makeTestMedia({
    copy: [fx.files.tagged.path, fx.files.clip.path, fx.files.movie.path],
    // What the server streams for a Chromecast (1st/2nd gen) and for a Google Home.
    live: [{ path: fx.files.movie.path, plan: { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac' } }, { path: fx.files.alac.path, plan: { container: 'flac', audioCodec: 'flac' } }],
  });
  files = await startFileServer(media.dir);
  emu = await startCastEmulator({ name: 'Test TV', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  emu.events.on('command', (c) => commands.push(c));
}, FIXTURES_TIMEOUT_MS);

afterAll(async () => {
  await emu?.close();
  await files?.close();
  media?.remove();
});

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  commands = [];
});

const url = (file: string) => `${files.url}/${encodeURIComponent(basename(file))}`;

function request(file: string, contentType: string, metadata: MediaMetadata, duration: number | null, extra: Partial<LoadRequest> = {}): LoadRequest {
  return { url: url(file), contentType, metadata, duration, startAt: 0, live: false, ...extra };
}
const mp3 = () => request(fx.files.tagged.path, 'audio/mpeg', { kind: 'audio', title: 'Tagged', artist: 'Alpha Artist', album: 'First Album', trackNo: 1 }, fx.files.tagged.durationSec);
const mp4 = () => request(fx.files.clip.path, 'video/mp4', { kind: 'video', title: 'Test Clip' }, fx.files.clip.durationSec);
const long = (extra: Partial<LoadRequest> = {}) => request(media.long, 'video/mp4', { kind: 'video', title: 'Long' }, 30, extra);

/** A driver on `port` whose log lines are also events, closed after the test. */
function driver(port: number, timing: Partial<DriverTiming> = FAST): { rx: CastReceiver; log: EventEmitter; lines: string[] } {
  const log = new EventEmitter();
  const lines: string[] = [];
  const descriptor: ReceiverDescriptor = {
    id: 'chromecast:test', kind: 'chromecast', name: 'Test TV', model: 'Chromecast', host: '127.0.0.1', port, type: 'tv', online: true, lastSeen: Date.now(), source: 'config',
  };
  const rx = new CastReceiver(descriptor, {
    timing,
    log: (msg, fields) => {
      lines.push(`${msg} ${JSON.stringify(fields)}`);
      log.emit(msg, fields);
    },
  });
  cleanup.push(() => rx.close());
  return { rx, log, lines };
}

/** The first status (current or coming) matching `pred`. */
function statusWhere(rx: CastReceiver, pred: (s: ReceiverStatus) => boolean, timeoutMs = 8000): Promise<ReceiverStatus> {
  if (pred(rx.status())) return Promise.resolve(rx.status());
  const seen: ReceiverStatus[] = [];
  return new Promise((resolve, reject) => {
    const on = (s: ReceiverStatus) => {
      seen.push(s);
      if (!pred(s)) return;
      clearTimeout(timer);
      rx.off('status', on);
      resolve(s);
    };
    const timer = setTimeout(() => {
      rx.off('status', on);
      reject(new Error(`no matching status within ${timeoutMs} ms; saw ${JSON.stringify(seen.map((s) => [s.state, s.position, s.idleReason]))}`));
    }, timeoutMs);
    rx.on('status', on);
  });
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, sleep(ms, undefined, { ref: false }).then(() => Promise.reject(new Error(`${what}: not within ${ms} ms`)))]);

/** TCP relay 127.0.0.1:port → the emulator; cuts or silences the connections passing through. */
async function relay(target: number) {
  const pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  const server = net.createServer((a) => {
    const b = net.connect(target, '127.0.0.1');
    const pair = { a, b };
    pairs.add(pair);
    a.pipe(b).pipe(a);
    const end = () => (a.destroy(), b.destroy(), pairs.delete(pair));
    a.on('error', end).on('close', end);
    b.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const r = {
    port: (server.address() as net.AddressInfo).port,
    drop: () => pairs.forEach(({ a }) => a.destroy()),
    /** Bytes stop flowing both ways; the sockets stay open. New connections still pass. */
    silence: () => pairs.forEach(({ a, b }) => (a.unpipe(b), b.unpipe(a), a.pause(), b.pause())),
    close: async () => {
      r.drop();
      await new Promise((res) => server.close(res));
    },
  };
  cleanup.push(r.close);
  return r;
}

const loads = () => commands.filter((c) => c.namespace === MEDIA_NS && c.data?.type === 'LOAD');

describe('Cast driver against the emulator', () => {
  it.each([
    ['an MP3', mp3, 3],
    ['an H.264/AAC MP4', mp4, 1],
  ])('%s: playing, position advances, pause, play, seek, volume, mute, stop', async (_name, req, metadataType) => {
    const { rx } = driver(emu.port);
    const events: ReceiverStatus[] = [];
    rx.on('status', (s) => events.push(s));
    await rx.connect();
    await rx.load(req());
    expect(loads().at(-1)?.data).toMatchObject({ autoplay: true, currentTime: 0, media: { contentId: req().url, streamType: 'BUFFERED', metadata: { metadataType } } });
    expect(rx.status()).toMatchObject({ state: 'playing', rate: 1 });
    expect(rx.status().duration).toBeCloseTo(req().duration!, 1); // the device's own probe wins
    expect(events.map((e) => e.state)).toContain('loading');

    await sleep(400); // real time has to pass for the media clock to move
    await rx.pause();
    const paused = rx.status();
    expect(paused).toMatchObject({ state: 'paused', rate: 0 });
    expect(paused.position).toBeGreaterThan(0.3);
    expect(paused.position).toBeLessThan(2.5); // generous: a loaded CI machine may be slow to answer
    expect(events.at(-1)?.state).toBe('paused');

    await rx.play();
    expect(rx.status()).toMatchObject({ state: 'playing', rate: 1 });
    await rx.seek(1.5);
    expect(rx.status().position).toBeGreaterThanOrEqual(1.5);
    expect(rx.status().position).toBeLessThan(2.5);

    await rx.setVolume(0.3);
    expect(rx.status().volume).toEqual({ level: 0.3, muted: false });
    expect(events.at(-1)?.volume.level).toBe(0.3);
    await rx.setMuted(true);
    expect(rx.status().volume).toEqual({ level: 0.3, muted: true });
    await rx.setMuted(false);
    await rx.setVolume(1);

    await rx.stop();
    expect(rx.status()).toMatchObject({ state: 'idle', idleReason: 'stopped', rate: 0 });
    await expect(rx.pause()).rejects.toThrow(/nothing is loaded on Test TV/);
  });

  it('plays an MP4 to the end: idle, finished', async () => {
    const { rx } = driver(emu.port);
    const t0 = Date.now();
    await rx.load(mp4());
    const end = await statusWhere(rx, (s) => s.state === 'idle', 8000);
    expect(end).toMatchObject({ idleReason: 'finished', rate: 0 });
    expect(end.position).toBeCloseTo(fx.files.clip.durationSec, 0);
    expect(Date.now() - t0).toBeGreaterThan(fx.files.clip.durationSec * 1000 - 300);
  });

  // The first bytes of a live transcode tell nothing of its length (fragmented MP4: 2.08 s, the first
  // fragment; FLAC to a pipe: no sample count): the device plays the body to its end, in real time.
  it.each([
    ['HEVC/AC3 MKV → H.264/AAC fragmented MP4 on a Chromecast', 'Chromecast', 0, 'video/mp4', () => fx.files.movie.durationSec],
    ['ALAC → FLAC on a Google Home', 'Google Home', 1, 'audio/flac', () => fx.files.alac.durationSec],
  ] as const)('a live transcode plays to its end at real-time pace: %s', async (_name, model, n, contentType, duration) => {
    const own = model === 'Chromecast' ? emu : await startCastEmulator({ name: 'Test Speaker', model, host: '127.0.0.1', port: 0, mdns: false });
    if (own !== emu) cleanup.push(() => own.close());
    const { rx } = driver(own.port);
    const file = media.live[n]!;
    await rx.load(request(file, contentType, { kind: 'audio', title: 'Live' }, duration(), { url: `${url(file)}?live=1`, live: true }));
    const t0 = performance.now();
    expect(rx.status()).toMatchObject({ state: 'playing', duration: duration() });
    const end = await statusWhere(rx, (s) => s.state === 'idle', duration() * 1000 + 8000);
    const took = (performance.now() - t0) / 1000;
    expect(end).toMatchObject({ idleReason: 'finished', rate: 0 });
    expect(Math.abs(end.position - duration())).toBeLessThanOrEqual(0.5);
    expect(took).toBeGreaterThanOrEqual(duration() - 0.3);
  });

  it('an HEVC/AC3 Matroska file on a Chromecast: load() rejects with the refusal', async () => {
    const { rx } = driver(emu.port);
    const req = request(fx.files.movie.path, 'video/x-matroska', { kind: 'video', title: 'Movie' }, fx.files.movie.durationSec);
    await expect(rx.load(req)).rejects.toThrow(/^Test TV refused the media \(LOAD_FAILED: .*(matroska|hevc|ac3)/);
    expect(rx.status()).toMatchObject({ state: 'idle', idleReason: 'error', error: expect.stringMatching(/^Test TV refused the media/) });
  });

  it('sends subtitles as a TEXT track, active from the start when asked, and a start position', async () => {
    const { rx } = driver(emu.port);
    const subtitles = [{ url: `${files.url}/Movie.en.vtt`, language: 'en', name: 'English', contentType: 'text/vtt' }];
    await rx.load(long({ subtitles, activeSubtitle: 0, startAt: 5 }));
    expect(loads().at(-1)?.data).toMatchObject({
      currentTime: 5,
      activeTrackIds: [1],
      media: { tracks: [{ trackId: 1, type: 'TEXT', subtype: 'SUBTITLES', trackContentId: subtitles[0]!.url, trackContentType: 'text/vtt', language: 'en', name: 'English' }] },
    });
    expect(rx.status().position).toBeGreaterThanOrEqual(5);
    await rx.stop();
  });

  it('a dropped connection: reconnects, rejoins the running app (no new LAUNCH), status goes on', async () => {
    const r = await relay(emu.port);
    const { rx, log } = driver(r.port);
    await rx.load(long());
    const before = rx.status().position;
    const idles: ReceiverStatus[] = [];
    rx.on('status', (s) => s.state === 'idle' && idles.push(s));
    const from = commands.length;

    const t0 = Date.now();
    const back = once(log, 'cast driver: reconnected');
    r.drop();
    await within(back, 3000, 'reconnect');
    const took = Date.now() - t0;
    const transportId = commands.find((c) => c.namespace === MEDIA_NS)!.destinationId;
    const after = commands.slice(from);
    expect(after.some((c) => c.data?.type === 'CONNECT' && c.destinationId === transportId)).toBe(true);
    expect(after.some((c) => c.namespace === MEDIA_NS && c.data?.type === 'GET_STATUS')).toBe(true);
    expect(after.some((c) => c.data?.type === 'LAUNCH')).toBe(false);

    await rx.pause(); // needs the mediaSessionId, re-read on rejoin
    expect(rx.status().state).toBe('paused');
    expect(rx.status().position).toBeGreaterThan(before);
    expect(idles).toEqual([]);
    expect(took).toBeLessThan(1500);
    await rx.stop();
  });

  it('a silent connection: the heartbeat declares it dead, the driver reconnects', async () => {
    const r = await relay(emu.port);
    const { rx, log } = driver(r.port, { ...FAST, pingIntervalMs: 100, deadAfterMs: 500 });
    await rx.load(long());
    const lost = once(log, 'cast driver: connection lost');
    const back = once(log, 'cast driver: reconnected');
    const t0 = Date.now();
    r.silence();
    const [fields] = (await within(lost, 2000, 'heartbeat death')) as [{ reason: string }];
    expect(fields.reason).toMatch(/no answer for 0\.[5-9] s/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    await within(back, 3000, 'reconnect');
    await rx.pause();
    expect(rx.status().state).toBe('paused');
    await rx.stop();
  });

  it('a request the device never answers rejects after its own timeout', async () => {
    const r = await relay(emu.port);
    const { rx } = driver(r.port, { ...FAST, requestTimeoutMs: 300 });
    await rx.load(long());
    r.silence();
    const t0 = Date.now();
    await expect(rx.pause()).rejects.toThrow('Test TV did not answer PAUSE within 0.3 s');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a device restarted on the same port: reconnects, reports the item interrupted, loads again', async () => {
    const own = await startCastEmulator({ name: 'Test TV', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
    let current = own;
    cleanup.push(() => current.close());
    const { rx, log } = driver(own.port);
    await rx.load(long());
    const back = once(log, 'cast driver: reconnected');
    await own.close();
    current = await startCastEmulator({ name: 'Test TV', model: 'Chromecast', host: '127.0.0.1', port: own.port, mdns: false });
    await within(back, 3000, 'reconnect');
    expect(rx.status()).toMatchObject({ state: 'idle', idleReason: 'interrupted' });
    await rx.load(mp3());
    expect(rx.status().state).toBe('playing');
  });

  it('a device gone for good: `gone` within the reconnect window, final status idle/gone', async () => {
    const own = await startCastEmulator({ name: 'Test TV', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
    const { rx } = driver(own.port, { ...FAST, reconnectWindowMs: 1500 });
    await rx.load(long());
    const statuses: ReceiverStatus[] = [];
    rx.on('status', (s) => statuses.push(s));
    const gone = once(rx, 'gone');
    const t0 = Date.now();
    await own.close();
    const [reason] = (await within(gone, 4000, 'gone')) as [string];
    const took = Date.now() - t0;
    expect(reason).toMatch(/lost the connection to Test TV .*could not reconnect within 1\.5 s: cannot connect to Test TV \(127\.0\.0\.1:\d+\): .*ECONNREFUSED/);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(3000);
    expect(statuses.at(-1)).toMatchObject({ state: 'idle', idleReason: 'gone', error: reason, rate: 0 });
    await expect(rx.pause()).rejects.toThrow(/cannot connect to Test TV/);
  });
});
