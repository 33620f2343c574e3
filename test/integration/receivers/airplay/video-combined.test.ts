// connectReceiver for a device with an `_airplay._tcp` endpoint: video and photos go to the Apple TV
// driver (the emulated TV gets them), audio goes to RAOP when the device has a RAOP endpoint (here a
// closed port, so the RAOP driver's own connection error shows where it went), else to the TV too.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as airplay from '../../../../receivers/airplay/index.js';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../../../receivers/airplay/emulator/video.js';
import type { LoadRequest, Receiver, ReceiverDescriptor } from '../../../../receivers/types.js';
import { FIXTURES_TIMEOUT_MS, loadFixtures } from '../../../helpers/fixtures.js';
import { startFileServer, type FileServer } from '../chromecast/file-server.js';

let dir: string;
let files: FileServer;
let tv: AirPlayVideoEmulator;
const receivers: Receiver[] = [];

function event(name: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (tv.events.off(name, on), reject(new Error(`no ${name} event`))), timeoutMs);
    const on = (x: Record<string, unknown>) => (clearTimeout(t), tv.events.off(name, on), resolve(x));
    tv.events.on(name, on);
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

function connect(endpoints: Record<string, number>, type: ReceiverDescriptor['type'] = 'tv'): Receiver {
  const d: ReceiverDescriptor = { id: 'airplay:5855CA1AE288', kind: 'airplay', name: 'Den TV', model: 'AppleTV3,2', host: '127.0.0.1', port: endpoints.raop ?? endpoints.airplay!, type, online: true, lastSeen: Date.now(), source: 'mdns', endpoints };
  const r = airplay.connectReceiver(d);
  receivers.push(r);
  return r;
}

const load = (file: string, kind: LoadRequest['metadata']['kind']): LoadRequest => ({ url: `${files.url}/${file}`, contentType: 'application/octet-stream', metadata: { title: file, kind }, duration: null, startAt: 0, live: false });

beforeAll(async () => {
  const fx = await loadFixtures();
  dir = await mkdtemp(join(tmpdir(), 'hc-atv-both-'));
  await copyFile(join(fx.dir, 'video/Clip.mp4'), join(dir, 'clip.mp4'));
  await copyFile(join(fx.dir, fx.files.tagged.rel), join(dir, 'song.mp3'));
  files = await startFileServer(dir);
  tv = await startAirPlayVideoEmulator({ name: 'Den TV', host: '127.0.0.1', port: 0, mdns: false });
}, FIXTURES_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all([tv?.close(), files?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('AirPlay device with both endpoints', () => {
  it('sends video to the TV and audio to RAOP; commands and status follow the active driver', async () => {
    const r = connect({ airplay: tv.port, raop: await closedPort() });
    await r.connect();
    const playing = event('playing');
    await r.load(load('clip.mp4', 'video'));
    expect(await playing).toMatchObject({ videoCodec: 'h264' });
    expect(r.capabilities.volume).toBe(false);
    expect(r.status().state).toBe('playing');
    // Audio: the RAOP driver takes it (and cannot reach RTSP on the closed port); the TV sees no /play.
    let plays = 0;
    const count = () => plays++;
    tv.events.on('play', count);
    const stopped = event('stop');
    await expect(r.load(load('song.mp3', 'audio'))).rejects.toThrow(/ECONNREFUSED|connect|refused/i);
    tv.events.off('play', count);
    expect(plays).toBe(0);
    // The video that was playing was stopped when audio took over.
    await stopped;
    expect(r.capabilities.volume).toBe(true);
  });

  it('a speaker that also announces _airplay._tcp (HomePod) gets everything by RAOP, even a video\'s sound', async () => {
    const r = connect({ airplay: tv.port, raop: await closedPort() }, 'speaker');
    let plays = 0;
    const count = () => plays++;
    tv.events.on('play', count);
    await expect(r.load(load('clip.mp4', 'video'))).rejects.toThrow(/ECONNREFUSED|connect|refused/i);
    tv.events.off('play', count);
    expect(plays).toBe(0);
    expect(r.capabilities.volume).toBe(true);
  });

  it('without a RAOP endpoint the TV plays audio URLs too', async () => {
    const r = connect({ airplay: tv.port });
    const playing = event('playing');
    await r.load(load('song.mp3', 'audio'));
    expect(await playing).toMatchObject({ container: 'mp3', audioCodec: 'mp3', videoCodec: null });
    await r.stop();
  });
});
