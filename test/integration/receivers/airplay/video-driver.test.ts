// The Apple TV driver (airplay-protocol underneath) against the emulated Apple TV over real HTTP
// on loopback: play with a position that advances, pause/resume, seek, stop, the end of an item,
// a TV that wants pairing, an item the model cannot play, photos as a slideshow, a TV that goes.
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../../../receivers/airplay/emulator/video.js';
import { AirPlayVideoReceiver } from '../../../../receivers/airplay/video/driver.js';
import { parseXmlPlist } from '../../../../receivers/airplay/video/plist.js';
import type { LoadRequest, ReceiverDescriptor, ReceiverStatus } from '../../../../receivers/types.js';
import { ffmpeg } from '../../../fixtures/ffmpeg.js';
import { FIXTURES_TIMEOUT_MS, loadFixtures } from '../../../helpers/fixtures.js';
import { startFileServer, type FileServer } from '../chromecast/file-server.js';

type Ev = Record<string, unknown>;

let dir: string;
let files: FileServer;
let tv: AirPlayVideoEmulator;
let locked: AirPlayVideoEmulator;
const drivers: AirPlayVideoReceiver[] = [];

function descriptor(e: AirPlayVideoEmulator): ReceiverDescriptor {
  return { id: `airplay:${e.deviceId.replace(/:/g, '')}`, kind: 'airplay', name: e.name, model: e.model, host: e.host, port: e.port, type: 'tv', online: true, lastSeen: Date.now(), source: 'config', endpoints: { airplay: e.port } };
}

function driver(e: AirPlayVideoEmulator, opts = {}): AirPlayVideoReceiver {
  const r = new AirPlayVideoReceiver(descriptor(e), { pollMs: 250, ...opts });
  drivers.push(r);
  return r;
}

function req(file: string, kind: LoadRequest['metadata']['kind'] = 'video', duration: number | null = null): LoadRequest {
  return { url: `${files.url}/${file}`, contentType: 'video/mp4', metadata: { title: file, kind }, duration, startAt: 0, live: false };
}

/** The next status that matches (listen before acting). */
function status(r: AirPlayVideoReceiver, match: (s: ReceiverStatus) => boolean, timeoutMs = 15_000): Promise<ReceiverStatus> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (r.off('status', on), reject(new Error(`no matching status within ${timeoutMs} ms; last ${JSON.stringify(r.status())}`))), timeoutMs);
    const on = (s: ReceiverStatus) => match(s) && (clearTimeout(t), r.off('status', on), resolve(s));
    r.on('status', on);
  });
}

/** The next emulator event of a kind that matches. */
function event(e: AirPlayVideoEmulator, name: string, match: (x: Ev) => boolean = () => true, timeoutMs = 15_000): Promise<Ev> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (e.events.off(name, on), reject(new Error(`no ${name} event within ${timeoutMs} ms`))), timeoutMs);
    const on = (x: Ev) => match(x) && (clearTimeout(t), e.events.off(name, on), resolve(x));
    e.events.on(name, on);
  });
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

beforeAll(async () => {
  const fx = await loadFixtures();
  dir = await mkdtemp(join(tmpdir(), 'hc-atv-'));
  await Promise.all([
    copyFile(join(fx.dir, 'video/Clip.mp4'), join(dir, 'clip.mp4')),
    copyFile(join(fx.dir, 'video/Movie.mkv'), join(dir, 'movie.mkv')),
    copyFile(join(fx.dir, 'photos/Camera.jpg'), join(dir, 'camera.jpg')),
    copyFile(join(fx.dir, 'photos/Plain.png'), join(dir, 'plain.png')),
    // Long enough to pause and seek in without reaching the end.
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '30', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', join(dir, 'long.mp4')]),
    ffmpeg(['-f', 'lavfi', '-i', 'smptebars=size=320x240', '-frames:v', '1', join(dir, 'bars.jpg')]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=2400x1600', '-frames:v', '1', join(dir, 'big.jpg')]),
  ]);
  files = await startFileServer(dir);
  tv = await startAirPlayVideoEmulator({ name: 'Den TV', model: 'AppleTV3,2', host: '127.0.0.1', port: 0, mdns: false });
  locked = await startAirPlayVideoEmulator({ name: 'Locked TV', model: 'AppleTV6,2', host: '127.0.0.1', port: 0, mdns: false, pairing: true });
}, FIXTURES_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  await Promise.all([tv?.close(), locked?.close(), files?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('AirPlay video driver against the emulated Apple TV', () => {
  it('plays: the TV fetches and probes the URL, the position advances; pause, resume, seek and stop reach it', async () => {
    const r = driver(tv);
    await r.connect();
    const probed = event(tv, 'playing');
    const playing = status(r, (s) => s.state === 'playing');
    await r.load(req('long.mp4'));
    expect(await probed).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', container: 'mp4', width: 160 });
    const first = await playing;
    expect(first.duration).toBeCloseTo(30, 0);
    // The driver's polls follow the TV's clock.
    await vi.waitFor(() => expect(r.status().position).toBeGreaterThan(first.position + 1), { timeout: 10_000, interval: 100 });
    expect(r.capabilities).toEqual({ seek: true, volume: false, pause: true, subtitles: false });
    await expect(r.setVolume(0.5)).rejects.toThrow(/no volume/);

    let rate = event(tv, 'rate');
    await r.pause();
    expect(await rate).toMatchObject({ rate: 0 });
    expect(r.status()).toMatchObject({ state: 'paused', rate: 0 });
    // Paused on the TV itself: rate 0, and the position it reports is where the driver says it is.
    const info = parseXmlPlist(await (await fetch(`http://${tv.host}:${tv.port}/playback-info`)).text()) as Record<string, number>;
    expect(info.rate).toBe(0);
    expect(Math.abs(info.position! - r.status().position)).toBeLessThan(0.5);

    rate = event(tv, 'rate');
    await r.play();
    expect(await rate).toMatchObject({ rate: 1 });
    expect(r.status().state).toBe('playing');

    // Paused with the TV's own remote: the next poll says so.
    const remotePause = status(r, (s) => s.state === 'paused');
    await fetch(`http://${tv.host}:${tv.port}/rate?value=0`, { method: 'POST' });
    expect(await remotePause).toMatchObject({ rate: 0 });
    await r.play();

    const scrub = event(tv, 'scrub');
    await r.seek(20);
    expect((await scrub).position as number).toBeCloseTo(20, 0);
    await vi.waitFor(() => expect(r.status().position).toBeGreaterThanOrEqual(20), { timeout: 5000, interval: 100 });

    const stopped = event(tv, 'stop');
    await r.stop();
    expect(await stopped).toMatchObject({ url: `${files.url}/long.mp4` });
    expect(r.status()).toMatchObject({ state: 'idle', idleReason: 'stopped' });
  });

  it('reports finished when the item plays to its end', async () => {
    const r = driver(tv);
    const ended = event(tv, 'ended');
    const finished = status(r, (s) => s.state === 'idle', 20_000);
    await r.load(req('clip.mp4'));
    expect(await finished).toMatchObject({ idleReason: 'finished' });
    expect((await ended).duration as number).toBeCloseTo(3, 0);
  });

  it('starts at an offset (Start-Position as a fraction of the duration)', async () => {
    const r = driver(tv);
    const play = event(tv, 'play');
    await r.load({ ...req('long.mp4', 'video', 30), startAt: 15 });
    expect((await play).startPosition as number).toBeCloseTo(0.5, 3);
    expect(r.status().position).toBeGreaterThanOrEqual(14.5);
    await r.stop();
  });

  it('a TV that wants pairing gives a clear error, never a silent failure', async () => {
    const r = driver(locked);
    const refused = event(locked, 'pairing-required');
    const idle = status(r, (s) => s.state === 'idle');
    await expect(r.load(req('long.mp4'))).rejects.toThrow('Locked TV asks to pair (tvOS 10.2 and later); pairing is not supported');
    await refused;
    expect(await idle).toMatchObject({ idleReason: 'error', error: expect.stringMatching(/asks to pair/) });
  });

  it('an item the model cannot play: the TV stops with an error and the driver says why', async () => {
    const r = driver(tv);
    const refused = event(tv, 'refused');
    await expect(r.load(req('movie.mkv'))).rejects.toThrow(/Den TV could not play "movie.mkv": .*matroska/);
    expect(await refused).toMatchObject({ reason: expect.stringMatching(/cannot open matroska/) });
    expect(r.status()).toMatchObject({ state: 'idle', idleReason: 'error' });
  });

  it('an item the TV never starts (its fetch hangs) ends as an error, not endless loading', async () => {
    const r = driver(tv, { startTimeoutMs: 1000 });
    const slow = { ...req('long.mp4'), url: `${files.url}/long.mp4?hold=1&holdMs=8000` };
    await expect(r.load(slow)).rejects.toThrow(/Den TV did not start "long.mp4" within \d+ s/);
    expect(r.status()).toMatchObject({ state: 'idle', idleReason: 'error' });
    await r.stop();
  });

  it('photos: each arrives as the JPEG bytes of the file, shows for the slideshow interval, then finishes', async () => {
    const r = driver(tv, { photoSeconds: 1 });
    const shown: Ev[] = [];
    tv.events.on('photo', (e: Ev) => shown.push(e));
    for (const file of ['camera.jpg', 'bars.jpg']) {
      const finished = status(r, (s) => s.state === 'idle' && s.idleReason === 'finished', 10_000);
      const started = Date.now();
      await r.load(req(file, 'photo'));
      expect(r.status()).toMatchObject({ state: 'playing', duration: 1 });
      await finished;
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    }
    expect(shown.map((e) => e.sha256)).toEqual([await sha256(join(dir, 'camera.jpg')), await sha256(join(dir, 'bars.jpg'))]);
    expect(shown[0]).toMatchObject({ jpeg: true, transition: 'Dissolve', assetKey: expect.stringMatching(/^[0-9A-F-]{36}$/) });
    expect(shown[0]).toMatchObject({ width: 640, height: 480 });
    // A PNG is converted to JPEG first: the TV takes nothing else.
    const png = event(tv, 'photo');
    await r.load(req('plain.png', 'photo'));
    expect(await png).toMatchObject({ jpeg: true, width: 64, height: 48 });
    // A photo larger than the TV's 1080p screen is scaled down to fit it, as iOS sends it.
    const big = event(tv, 'photo');
    await r.load(req('big.jpg', 'photo'));
    expect(await big).toMatchObject({ jpeg: true, width: 1620, height: 1080 });
    await r.stop();
  });

  it('a TV with a password: none → needs-password, a wrong one → wrong, the right one plays (HTTP Digest)', async () => {
    const e = await startAirPlayVideoEmulator({ name: 'Guarded TV', host: '127.0.0.1', port: 0, mdns: false, password: 'sesame 42' });
    try {
      const none = driver(e);
      const err1 = await none.load(req('clip.mp4')).catch((x: unknown) => x as Error & { code?: string; wrong?: boolean });
      expect(err1).toMatchObject({ code: 'needs-password', wrong: false, message: 'Guarded TV needs a password' });
      expect(none.status()).toMatchObject({ state: 'idle', idleReason: 'error' });
      const wrong = driver(e, { password: 'open sesame' });
      await expect(wrong.load(req('clip.mp4'))).rejects.toMatchObject({ code: 'needs-password', wrong: true, message: 'Guarded TV did not accept the password' });
      const right = driver(e, { password: 'sesame 42' });
      const playing = event(e, 'playing');
      await right.load(req('long.mp4'));
      expect(await playing).toMatchObject({ videoCodec: 'h264' });
      // Later requests carry the answer at once: pause is not refused first.
      const refused: Ev[] = [];
      e.events.on('auth-required', (x: Ev) => refused.push(x));
      await right.pause();
      expect(refused).toEqual([]);
      await right.stop();
    } finally {
      await e.close();
    }
  });

  it('a TV that goes away: the driver reports gone', async () => {
    const e = await startAirPlayVideoEmulator({ name: 'Short TV', host: '127.0.0.1', port: 0, mdns: false });
    const r = driver(e);
    await r.load(req('long.mp4'));
    const gone = new Promise<string>((resolve) => r.once('gone', resolve));
    await e.close();
    expect(await gone).toMatch(/Short TV stopped answering/);
    expect(r.status()).toMatchObject({ state: 'idle', idleReason: 'gone' });
  });
});
