// The real server (dist) with two emulated Apple TVs listed in its config: the decision per model
// seen at the TV by what it probed (HEVC transcoded to HLS H.264 for an Apple TV 3, seekable; kept
// for a 4K one, copied into HLS fMP4 segments, seekable too),
// and a photo album played as a slideshow: each photo reaches the TV as JPEG, one after another.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../../../receivers/airplay/emulator/video.js';
import type { Ack } from '../../../../server/api/messages.js';
import { FMP4_TS_OFFSET } from '../../../../server/media/hls-args.js';
import type { SessionSnapshot } from '../../../../server/playback/session.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../../helpers/server.js';

type Ev = Record<string, unknown>;

let lib: LibraryCopy;
let old: AirPlayVideoEmulator;
let uhd: AirPlayVideoEmulator;
let server: RunningServer;
let socket: Socket;

function send<T = SessionSnapshot>(event: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => socket.emit(event, args, (a: Ack<T>) => (a.ok ? resolve(a.data) : reject(new Error(a.error)))));
}

function event(e: AirPlayVideoEmulator, name: string, timeoutMs = 30_000): Promise<Ev> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (e.events.off(name, on), reject(new Error(`no ${name} event from ${e.name} within ${timeoutMs} ms`))), timeoutMs);
    const on = (x: Ev) => (clearTimeout(t), e.events.off(name, on), resolve(x));
    e.events.on(name, on);
  });
}

// The fixture movie is one GOP (3 s): a player seeking in it decodes from 0, and the emulator's
// reader (ffmpeg's HLS demuxer) then finds no keyframe after the seek point. This HEVC film has one
// every second, so a seek in its HLS stream has media from there on.
const SEEK_FILM = { title: 'Seek Film', seconds: 12 };

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  await promisify(execFile)('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=10:duration=${SEEK_FILM.seconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${SEEK_FILM.seconds}:sample_rate=48000`,
    '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error:keyint=10:min-keyint=10:scenecut=0', '-pix_fmt', 'yuv420p', '-c:a', 'ac3', '-ac', '6', '-shortest',
    '-metadata', `title=${SEEK_FILM.title}`, join(lib.video, `${SEEK_FILM.title}.mkv`)]);
  old = await startAirPlayVideoEmulator({ name: 'Old TV', model: 'AppleTV3,2', host: '127.0.0.1', port: 0, mdns: false });
  uhd = await startAirPlayVideoEmulator({ name: '4K TV', model: 'AppleTV6,2', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Video', path: lib.video, kind: 'video' }, { name: 'Photos', path: lib.photos, kind: 'photo' }],
      receivers: [
        { kind: 'airplay', name: 'Old TV', host: old.host, port: old.port, model: 'AppleTV3,2' },
        { kind: 'airplay', name: '4K TV', host: uhd.host, port: uhd.port, model: 'AppleTV6,2' },
      ],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  await Promise.all([scanFinished(server, 'Video'), scanFinished(server, 'Photos')]);
  socket = server.io();
  await new Promise((resolve) => socket.once('snapshot', resolve));
}, 90_000);

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await Promise.all([old?.close(), uhd?.close()]);
});

describe('Apple TVs through the server', () => {
  it('lists both as TVs', async () => {
    const { body } = await server.get<{ items: { name: string; type: string; kind: string; model: string }[] }>('/api/receivers');
    expect(body.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'Old TV', kind: 'airplay', type: 'tv', model: 'AppleTV3,2' }),
      expect.objectContaining({ name: '4K TV', kind: 'airplay', type: 'tv', model: 'AppleTV6,2' }),
    ]));
  });

  it('transcodes the HEVC movie to HLS H.264/AAC for an Apple TV 3 (its duration known), says why, and seeks in it', async () => {
    const playing = event(old, 'playing');
    const s = await send('playback:play', { receiver: 'Old TV', what: 'The Movie' });
    expect(s.decision).toMatchObject({ kind: 'transcode', reasons: expect.arrayContaining([expect.stringMatching(/HEVC not supported by Apple TV \(3rd gen\)/)]) });
    const seen = await playing;
    expect(seen).toMatchObject({ container: 'hls', videoCodec: 'h264', audioCodec: 'aac', width: 320 });
    expect(seen.url).toMatch(/\/hls\/\d+\/index\.m3u8\?/);
    // The playlist gives the TV the whole duration at once (a live stream would not).
    expect(seen.duration as number).toBeCloseTo(lib.fx.files.movie.durationSec, 1);
    // A seek to 60 %: the TV fetches the segment there, and media from there arrives.
    const to = 0.6 * lib.fx.files.movie.durationSec;
    const reading = new Promise<Ev>((resolve) => {
      const on = (e: Ev) => Math.abs((e.from as number) - to) < 0.1 && (old.events.off('reading', on), resolve(e));
      old.events.on('reading', on);
    });
    // The playlist holds the whole item: the TV seeks in it (/scrub), nothing is loaded again.
    let plays = 0;
    const countPlay = () => plays++;
    old.events.on('play', countPlay);
    const scrubbed = event(old, 'scrub');
    await send('playback:seek', { receiver: 'Old TV', position: to });
    expect((await scrubbed).position as number).toBeCloseTo(to, 0);
    expect((await reading).url).toMatch(/\/hls\/\d+\/index\.m3u8\?c=hls&vc=h264&ac=aac/);
    old.events.off('play', countPlay);
    expect(plays).toBe(0);
    await send('playback:stop', { receiver: 'Old TV' });
  });

  it('keeps the HEVC picture for an Apple TV 4K: HLS with fMP4 segments (hvc1, AC-3 → AAC), its duration known', async () => {
    const playing = event(uhd, 'playing');
    const s = await send('playback:play', { receiver: '4K TV', what: 'The Movie' });
    expect(s.decision?.kind).toBe('audio-transcode');
    expect(s.decision?.reasons.join('; ')).not.toMatch(/HEVC/);
    const seen = await playing;
    expect(seen).toMatchObject({ container: 'hls', videoCodec: 'hevc', audioCodec: 'aac' });
    expect(seen.url).toMatch(/\/hls\/\d+\/index\.m3u8\?c=hls&vc=copy&ac=aac/);
    // Apple players take HEVC in HLS only in fMP4 segments, as 'hvc1' (ffmpeg writes 'hev1' unless told).
    expect(seen.videoTag).toBe('hvc1');
    expect(seen.duration as number).toBeCloseTo(lib.fx.files.movie.durationSec, 1);
    await send('playback:stop', { receiver: '4K TV' });
  });

  it('seeks in a copied HEVC film on the Apple TV 4K: the TV scrubs in the playlist (nothing loaded again); the segment there starts at its keyframe and fits the init segment', async () => {
    const playing = event(uhd, 'playing');
    await send('playback:play', { receiver: '4K TV', what: SEEK_FILM.title });
    const seen = await playing;
    expect(seen).toMatchObject({ container: 'hls', videoCodec: 'hevc', videoTag: 'hvc1', audioCodec: 'aac' });
    expect(seen.duration as number).toBeCloseTo(SEEK_FILM.seconds, 0);
    const to = 0.6 * SEEK_FILM.seconds;
    let plays = 0;
    const countPlay = () => plays++;
    uhd.events.on('play', countPlay);
    const scrubbed = event(uhd, 'scrub');
    await send('playback:seek', { receiver: '4K TV', position: to });
    expect((await scrubbed).position as number).toBeCloseTo(to, 0);
    uhd.events.off('play', countPlay);
    expect(plays).toBe(0);
    // What the TV fetches for that position (the emulator's reader cannot show it: ffmpeg 5.1's HLS
    // demuxer finds nothing after a seek in fMP4 segments, even in ffmpeg's own): the segment the
    // playlist has there, after the init segment, is HEVC (hvc1) and AAC from its keyframe on.
    const url = seen.url as string;
    const playlist = await (await fetch(url)).text();
    const lengths = playlist.split('\n').filter((l) => l.startsWith('#EXTINF:')).map((l) => Number(l.slice(8, -1)));
    const starts = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
    const n = starts.filter((t) => t <= to).length - 1;
    expect(n).toBeGreaterThan(0);
    const init = Buffer.from(await (await fetch(url.replace('/index.m3u8?', '/init.mp4?'))).arrayBuffer());
    const segment = await fetch(url.replace('/index.m3u8?', `/${n}.m4s?`));
    expect(segment.status).toBe(200);
    const file = join(lib.root, 'seek-segment.mp4');
    await writeFile(file, Buffer.concat([init, Buffer.from(await segment.arrayBuffer())]));
    const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,codec_tag_string,start_time', '-of', 'json', file]);
    const streams = (JSON.parse(stdout) as { streams: { codec_type: string; codec_name: string; codec_tag_string: string; start_time: string }[] }).streams;
    const video = streams.find((x) => x.codec_type === 'video')!;
    expect(video).toMatchObject({ codec_name: 'hevc', codec_tag_string: 'hvc1' });
    expect(streams.find((x) => x.codec_type === 'audio')?.codec_name).toBe('aac');
    expect(Number(video.start_time) - FMP4_TS_OFFSET).toBeCloseTo(starts[n]!, 1);
    await send('playback:stop', { receiver: '4K TV' });
  });

  it('plays a photo album as a slideshow: each photo arrives as JPEG, the next after the interval', async () => {
    const { body } = await server.get<{ items: { id: number; title: string }[] }>('/api/library/photos?limit=10');
    const ids = body.items.map((p) => p.id);
    expect(ids.length).toBe(2);
    const photos: Ev[] = [];
    const both = new Promise<void>((resolve) => {
      const on = (e: Ev) => (photos.push(e), photos.length === 2 && (old.events.off('photo', on), resolve()));
      old.events.on('photo', on);
    });
    const advanced = new Promise<SessionSnapshot>((resolve) => {
      const on = (s: SessionSnapshot) => s.receiverId.includes(String(old.port)) && s.index === 1 && (socket.off('session', on), resolve(s));
      socket.on('session', on);
    });
    const started = Date.now();
    const s = await send('playback:play', { receiver: 'Old TV', what: ids });
    expect(s.item?.kind).toBe('photo');
    await both;
    await advanced;
    // One photo per slideshow interval (5 s), as JPEG; the JPEG original arrives byte for byte.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
    expect(photos.every((p) => p.jpeg === true && p.transition === 'Dissolve')).toBe(true);
    const camera = createHash('sha256').update(await readFile(lib.at('photos/Camera.jpg'))).digest('hex');
    expect(photos.map((p) => p.sha256)).toContain(camera);
    await send('playback:stop', { receiver: 'Old TV' });
  });
});
