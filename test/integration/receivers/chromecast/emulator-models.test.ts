// The emulator in-process (startCastEmulator) pretending to be other models: what it accepts
// follows receivers/chromecast/profile.ts for that model, never a special case in the emulator.
import { connect } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator, type EmulatorEvent } from '../../../../receivers/chromecast/emulator.js';
import { profileForModel } from '../../../../receivers/chromecast/profile.js';
import { FIXTURES_TIMEOUT_MS, loadFixtures, type Fixtures } from '../../../helpers/fixtures.js';
import { CastSender } from './cast-sender.js';
import { startFileServer, type FileServer } from './file-server.js';
import { makeTestMedia, type TestMedia } from './media.js';

let fx: Fixtures;
let media: TestMedia;
let files: FileServer;
let emu: CastEmulator | null = null;
let sender: CastSender | null = null;

const url = (file: string) => `${files.url}/${encodeURIComponent(basename(file))}`;

beforeAll(async () => {
  fx = await loadFixtures();
  media = await makeTestMedia({ hevc: true, hevcToMp4: [fx.files.movie.path], copy: [fx.files.movie.path, fx.files.clip.path, fx.files.tagged.path, fx.files.covered.path] });
  files = await startFileServer(media.dir);
}, FIXTURES_TIMEOUT_MS);

afterAll(async () => {
  await files?.close();
  media?.remove();
});

afterEach(async () => {
  sender?.close();
  await emu?.close();
  emu = null;
});

/** Starts an emulator of `model`, launches the media receiver, loads `file`; returns its first verdict. */
async function verdict(model: string, file: string, contentType: string): Promise<{ event: EmulatorEvent; load: Promise<unknown> }> {
  emu = await startCastEmulator({ name: `${model} test`, model, host: '127.0.0.1', port: 0, mdns: false });
  const seen = new Promise<EmulatorEvent>((resolve) => {
    emu!.events.on('playing', resolve);
    emu!.events.on('refused', resolve);
    emu!.events.on('idle', resolve);
  });
  sender = await CastSender.connect('127.0.0.1', emu.port);
  await sender.launch();
  const load = sender.load(url(file), contentType);
  load.catch(() => undefined);
  return { event: await seen, load };
}

/** What the profile lacks for a stream, in the order a device's pipeline meets it; null = it plays. */
function firstMissing(model: string, f: { container: string; videoCodec: string; audioCodec: string; channels: number }): RegExp | null {
  const p = profileForModel(model);
  if (!p.containers.includes(f.container)) return new RegExp(f.container);
  if (!p.audioOnly && !p.videoCodecs.some((c) => c.codec === f.videoCodec)) return new RegExp(f.videoCodec);
  const a = p.audioCodecs.find((c) => c.codec === f.audioCodec);
  if (!a || (a.maxChannels ?? Infinity) < f.channels) return new RegExp(f.audioCodec);
  return null;
}

describe('Chromecast emulator models', () => {
  // HEVC/AC3 5.1 as the fixture holds it (Matroska), the same streams in MP4, and HEVC/AAC in MP4:
  // containers and codecs apart, each verdict taken from the model's profile.
  const cases = [
    { model: 'Chromecast Ultra', file: () => fx.files.movie.path, type: 'video/x-matroska', streams: { container: 'matroska', videoCodec: 'hevc', audioCodec: 'ac3', channels: 6 } },
    { model: 'Chromecast Ultra', file: () => join(media.dir, 'Movie.mp4'), type: 'video/mp4', streams: { container: 'mp4', videoCodec: 'hevc', audioCodec: 'ac3', channels: 6 } },
    { model: 'Chromecast Ultra', file: () => media.hevc!, type: 'video/mp4', streams: { container: 'mp4', videoCodec: 'hevc', audioCodec: 'aac', channels: 2 } },
    { model: 'Chromecast', file: () => media.hevc!, type: 'video/mp4', streams: { container: 'mp4', videoCodec: 'hevc', audioCodec: 'aac', channels: 2 } },
    { model: 'Chromecast Ultra', file: () => fx.files.clip.path, type: 'video/mp4', streams: { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', channels: 2 } },
  ];
  for (const c of cases) {
    const missing = () => firstMissing(c.model, c.streams);
    it(`${c.model}: ${c.streams.videoCodec}/${c.streams.audioCodec} in ${c.streams.container} plays or is refused as its profile says`, async () => {
      const { event, load } = await verdict(c.model, c.file(), c.type);
      const why = missing();
      if (why) {
        expect(event).toMatchObject({ event: 'refused', reason: expect.stringMatching(why) });
        await expect(load).rejects.toThrow(/Load failed/);
      } else {
        expect(event).toMatchObject({ event: 'playing', container: c.streams.container, videoCodec: c.streams.videoCodec, audioCodec: c.streams.audioCodec, width: 320, height: 240 });
        await expect(load).resolves.toMatchObject({ playerState: 'PLAYING' });
      }
    });
  }

  it('Google Home (a speaker) plays MP3 and FLAC, ignoring cover art pictures', async () => {
    expect(profileForModel('Google Home').audioOnly).toBe(true);
    const mp3 = await verdict('Google Home', fx.files.tagged.path, 'audio/mpeg');
    expect(mp3.event).toMatchObject({ event: 'playing', container: 'mp3', audioCodec: 'mp3' });
    sender?.close();
    await emu?.close();
    const flac = await verdict('Google Home', fx.files.covered.path, 'audio/flac');
    expect(flac.event).toMatchObject({ event: 'playing', container: 'flac', audioCodec: 'flac' });
  });

  it('in-process API: id, port, events by name and as `event`, and a clean close', async () => {
    emu = await startCastEmulator({ name: 'API test', host: '127.0.0.1', port: 0, mdns: false, id: '0123456789abcdef0123456789abcdef' });
    expect(emu).toMatchObject({ id: '0123456789abcdef0123456789abcdef', host: '127.0.0.1', name: 'API test', model: 'Chromecast', instance: null });
    const all: EmulatorEvent[] = [];
    emu.events.on('event', (e) => all.push(e));
    sender = await CastSender.connect('127.0.0.1', emu.port);
    await sender.launch();
    await sender.setVolume({ level: 0.5 });
    expect(all.map((e) => e.event)).toEqual(['launch', 'volume']);
    sender.close();
    await emu.close();
    const port = emu.port;
    await expect(new Promise((resolve, reject) => connect(port, '127.0.0.1').on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);
  });
});
