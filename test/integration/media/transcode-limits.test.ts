// The decision's limits over a real socket: each URL parameter reaches ffmpeg and shows in what
// ffprobe reads back (rate, depth, channels, size, frame rate, HDR tone mapped to BT.709).
// Media is made with ffmpeg in beforeAll.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaRouter, type MediaFile } from '../../../server/media/routes.js';
import { createSigner, type TranscodeTarget } from '../../../server/media/signing.js';
import { createLogger } from '../../../server/util/log.js';
import { closeServer, listenOnLoopback } from '../../helpers/http.js';

const FFMPEG = '/usr/bin/ffmpeg';
const FFPROBE = '/usr/bin/ffprobe';
const signer = createSigner({ secret: Buffer.alloc(32, 5), ttlSeconds: 3600 });

let dir: string;
let lib: string;
let server: http.Server;
let port: number;
const files = new Map<number, MediaFile>();
const FLAC = 1;
const CLIP = 2;
const HDR = 3;
const PORTRAIT = 4;

interface Stream {
  codec_name: string;
  codec_type: string;
  sample_rate?: string;
  sample_fmt?: string;
  bits_per_raw_sample?: string;
  channels?: number;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  nb_read_frames?: string;
  color_transfer?: string;
  color_primaries?: string;
  color_space?: string;
}

function ff(...args: string[]): void {
  execFileSync(FFMPEG, ['-v', 'error', '-y', ...args]);
}

function probe(file: string): Stream[] {
  const entries = 'stream=codec_name,codec_type,sample_rate,sample_fmt,bits_per_raw_sample,channels,width,height,pix_fmt,r_frame_rate,nb_read_frames,color_transfer,color_primaries,color_space';
  return JSON.parse(execFileSync(FFPROBE, ['-v', 'error', '-count_frames', '-show_entries', entries, '-of', 'json', file], { encoding: 'utf8' })).streams;
}

function get(path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Transcodes item `id` to `target` over HTTP and probes the result. */
async function transcode(id: number, target: TranscodeTarget, out: string): Promise<Stream[]> {
  const r = await get(signer.streamUrl(id, target));
  expect(r.status, r.body.toString().slice(0, 200)).toBe(200);
  writeFileSync(join(dir, out), r.body);
  return probe(join(dir, out));
}

const byType = (streams: Stream[], type: string) => streams.filter((s) => s.codec_type === type);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'transcode-limits-'));
  lib = join(dir, 'library');
  mkdirSync(lib);
  ff('-f', 'lavfi', '-i', 'sine=frequency=440:duration=2:sample_rate=96000', '-ac', '2', '-c:a', 'flac', '-sample_fmt', 's32', '-bits_per_raw_sample', '24', join(lib, 'hires.flac'));
  ff('-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=60:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', join(lib, 'clip60.mp4'));
  ff('-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error',
    '-pix_fmt', 'yuv420p10le', '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', join(lib, 'hdr10.mkv'));
  ff('-f', 'lavfi', '-i', 'testsrc2=size=720x1280:rate=25:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(lib, 'portrait.mp4'));
  const add = (id: number, name: string, mime: string, kind: MediaFile['kind']) => files.set(id, { id, path: join(lib, name), libraryRoot: lib, mime, size: 0, mtimeMs: 0, kind });
  add(FLAC, 'hires.flac', 'audio/flac', 'audio');
  add(CLIP, 'clip60.mp4', 'video/mp4', 'video');
  add(HDR, 'hdr10.mkv', 'video/x-matroska', 'video');
  add(PORTRAIT, 'portrait.mp4', 'video/mp4', 'video');

  const app = express();
  app.use(
    mediaRouter({
      signer,
      fileById: (id) => files.get(id),
      artMime: () => undefined,
      artDir: join(dir, 'art'),
      ffmpegPath: FFMPEG,
      ffprobePath: FFPROBE,
      log: createLogger('error', () => {}),
    }),
  );
  server = http.createServer(app);
  port = await listenOnLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('audio limits', () => {
  it('the sources are what the tests assume', () => {
    expect(probe(join(lib, 'hires.flac'))[0]).toMatchObject({ sample_rate: '96000', bits_per_raw_sample: '24', channels: 2 });
    expect(probe(join(lib, 'hdr10.mkv'))[0]).toMatchObject({ codec_name: 'hevc', pix_fmt: 'yuv420p10le', color_transfer: 'smpte2084', color_primaries: 'bt2020' });
  });

  it('96 kHz/24-bit FLAC → sr=48000&bd=16: 48 kHz, 16-bit', async () => {
    const [a] = await transcode(FLAC, { container: 'flac', audioCodec: 'flac', sampleRate: 48_000, bitDepth: 16 }, 'sr-bd.flac');
    expect(a).toMatchObject({ codec_name: 'flac', sample_rate: '48000', sample_fmt: 's16', bits_per_raw_sample: '16', channels: 2 });
  });

  it('bd=24 keeps 24 bits (in 32-bit samples)', async () => {
    const [a] = await transcode(FLAC, { container: 'flac', audioCodec: 'flac', bitDepth: 24 }, 'bd24.flac');
    expect(a).toMatchObject({ sample_rate: '96000', sample_fmt: 's32', bits_per_raw_sample: '24' });
  });

  it('ch=1: mono', async () => {
    const [a] = await transcode(FLAC, { container: 'flac', audioCodec: 'flac', channels: 1 }, 'mono.flac');
    expect(a).toMatchObject({ codec_name: 'flac', channels: 1 });
  });

  it('to WAV, 24-bit PCM', async () => {
    const [a] = await transcode(FLAC, { container: 'wav', audioCodec: 'pcm_s24le', bitDepth: 24, sampleRate: 44_100 }, 'pcm24.wav');
    expect(a).toMatchObject({ codec_name: 'pcm_s24le', sample_rate: '44100', channels: 2 });
  });

  it('400 naming the param for a combination ffmpeg cannot make', async () => {
    for (const [target, param] of [
      [{ container: 'wav', audioCodec: 'pcm_s16le', bitDepth: 24 }, 'bd'],
      [{ container: 'flac', audioCodec: 'copy', sampleRate: 48_000 }, 'sr'],
      [{ container: 'flac', maxWidth: 640 }, 'mw'],
    ] as const) {
      const r = await get(signer.streamUrl(FLAC, target));
      expect(r.status, param).toBe(400);
      expect(JSON.parse(r.body.toString()).error, param).toContain(`parameter ${param}`);
    }
  });
});

describe('video limits', () => {
  it('1280x720 at 60 fps → mw=640&mh=360&fps=30: 640x360, at most 30 fps', async () => {
    const streams = await transcode(CLIP, { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', maxWidth: 640, maxHeight: 360, maxFrameRate: 30 }, 'small.mp4');
    const [v] = byType(streams, 'video');
    expect(v).toMatchObject({ codec_name: 'h264', width: 640, height: 360, r_frame_rate: '30/1' });
    expect(Number(v?.nb_read_frames)).toBeLessThanOrEqual(62); // 2 s at 30 fps (the 60 fps source has 120)
    expect(Number(v?.nb_read_frames)).toBeGreaterThanOrEqual(58);
    expect(byType(streams, 'audio')).toHaveLength(1);
  });

  it('never upscales: bounds above the source keep its size and its slower rate', async () => {
    const [v] = byType(await transcode(PORTRAIT, { container: 'matroska', videoCodec: 'h264', maxWidth: 1920, maxHeight: 1080, maxFrameRate: 30 }, 'same.mkv'), 'video');
    expect(v).toMatchObject({ width: 720, height: 1280, r_frame_rate: '25/1' });
  });

  it('a portrait video fits the same box turned: long edge ≤ mw, short edge ≤ mh', async () => {
    const [v] = byType(await transcode(PORTRAIT, { container: 'matroska', videoCodec: 'h264', maxWidth: 640, maxHeight: 360 }, 'portrait.mkv'), 'video');
    expect(v).toMatchObject({ width: 360, height: 640 });
  });

  it('HDR10 HEVC 10-bit → vc=h264&tm=1: 8-bit H.264 tagged BT.709, no PQ', async () => {
    const [v] = byType(await transcode(HDR, { container: 'mp4', videoCodec: 'h264', toneMap: true }, 'sdr.mp4'), 'video');
    expect(v).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', color_transfer: 'bt709', color_primaries: 'bt709', color_space: 'bt709', width: 640, height: 360 });
  });
});
