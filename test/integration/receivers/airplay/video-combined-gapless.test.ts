// An Apple TV's music goes through RAOP, gaplessly too: the combined receiver hands preload() to its
// RAOP side, so the next track follows in the same stream (one RTSP session, no TEARDOWN between),
// here against the software AirPlay speaker standing in for the TV's RAOP endpoint.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as airplay from '../../../../receivers/airplay/index.js';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../../../receivers/airplay/emulator/video.js';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../../receivers/airplay/emulator/speaker.js';
import type { LoadRequest, Receiver, ReceiverStatus } from '../../../../receivers/types.js';
import { startFileServer, type FileServer } from '../chromecast/file-server.js';

let dir: string;
let files: FileServer;
let tv: AirPlayVideoEmulator;
let raop: SpeakerEmulator;
let r: Receiver;

const track = (file: string): LoadRequest => ({ url: `${files.url}/${file}`, contentType: 'audio/flac', metadata: { title: file, kind: 'audio' }, duration: 2, startAt: 0, live: false });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hc-atv-gapless-'));
  for (const [file, hz] of [['one.flac', 440], ['two.flac', 660]] as const) {
    const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=44100:duration=2`, '-ac', '2', join(dir, file)]);
    if (made.status !== 0) throw new Error(made.stderr.toString());
  }
  files = await startFileServer(dir);
  tv = await startAirPlayVideoEmulator({ name: 'Den TV', host: '127.0.0.1', port: 0, mdns: false });
  raop = await startSpeakerEmulator({ name: 'Den TV', host: '127.0.0.1', port: 0, mdns: false });
  r = airplay.connectReceiver({ id: 'airplay:5855CA1AE289', kind: 'airplay', name: 'Den TV', model: 'AppleTV3,2', host: '127.0.0.1', port: raop.port, type: 'tv', online: true, lastSeen: Date.now(), source: 'mdns', endpoints: { airplay: tv.port, raop: raop.port } });
});

afterAll(async () => {
  await r?.close();
  await Promise.all([tv?.close(), raop?.close(), files?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Apple TV music, gapless', () => {
  it('preloads the next track into the same RAOP stream: one session, finished → playing, no teardown between', async () => {
    expect(typeof r.preload).toBe('function');
    const sessions: unknown[] = [];
    const teardowns: unknown[] = [];
    raop.events.on('session', (e) => sessions.push(e));
    raop.events.on('teardown', (e) => teardowns.push(e));
    await r.connect();
    await r.load(track('one.flac'));
    r.preload!(track('two.flac'));
    const advanced = await new Promise<ReceiverStatus>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no gapless advance within 10 s')), 10_000);
      r.on('status', (s) => {
        if (s.state === 'idle' && s.idleReason === 'finished') {
          clearTimeout(t);
          resolve(s);
        }
      });
    });
    expect(advanced.preloaded).toBe(track('two.flac').url);
    expect(sessions).toHaveLength(1);
    expect(teardowns).toHaveLength(0);
    await r.stop();
  }, 20_000);
});
