// Media the emulator tests need beyond the shared fixtures (which are 3 s long): a 30 s H.264/AAC
// MP4 to pause and seek in, a 40 MB one at 8 Mbit/s to see that the emulator reads at the media's
// pace, HEVC/AAC in MP4, fixtures remuxed into MP4 (to test codecs apart from containers), and the
// bodies of live transcodes (the server's own ffmpeg arguments, written to a pipe as it streams them).
// Made with ffmpeg into a temporary folder (~1 s, ~2.5 s, ~1 s, instant on 2 cores).
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { buildTranscodeArgs } from '../../../../server/media/transcode-args.js';
import type { TranscodePlan } from '../../../../server/media/transcode-params.js';

const run = promisify(execFile);

export interface TestMedia {
  dir: string;
  /** 30 s, 320x240 25 fps H.264 High + AAC stereo, faststart. */
  long: string;
  /** 40 s at 8 Mbit/s (noise), when asked for. */
  heavy: string | null;
  /** 3 s HEVC Main (hvc1) + AAC in MP4, when asked for. */
  hevc: string | null;
  /** Each `live` source as the server streams its transcode: `<name>.live.<container>`. */
  live: string[];
  remove(): void;
}

/** A source transcoded as the server's live route does it (output to a pipe: no index, no length). */
export interface LiveSource {
  path: string;
  plan: TranscodePlan;
}

async function liveTranscode(from: LiveSource, to: string): Promise<void> {
  const a = buildTranscodeArgs(from.plan);
  const ff = spawn('ffmpeg', [...a.input, '-i', from.path, ...a.output, 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => ff.once('exit', resolve));
  await pipeline(ff.stdout, createWriteStream(to));
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg exited ${code} transcoding ${from.path}`);
}

const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'];

export async function makeTestMedia(opts: { heavy?: boolean; hevc?: boolean; copy?: string[]; hevcToMp4?: string[]; live?: LiveSource[] } = {}): Promise<TestMedia> {
  const dir = mkdtempSync(join(tmpdir(), 'hc-cast-media-'));
  const long = join(dir, 'long.mp4');
  const jobs: Promise<unknown>[] = [
    run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '30', ...x264, long]),
  ];
  const heavy = opts.heavy ? join(dir, 'heavy.mp4') : null;
  if (heavy) {
    jobs.push(run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=gray:s=320x240:r=25,noise=alls=100:allf=t', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
      '-t', '40', '-b:v', '8M', '-maxrate', '8M', '-bufsize', '4M', ...x264, heavy]));
  }
  const hevc = opts.hevc ? join(dir, 'hevc.mp4') : null;
  if (hevc) {
    jobs.push(run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '3',
      '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', hevc]));
  }
  // HEVC sources: video and audio as they are (with the hvc1 tag Apple and Cast expect), subtitles left out.
  for (const f of opts.hevcToMp4 ?? []) {
    const to = join(dir, `${basename(f).replace(/\.[^.]+$/, '')}.mp4`);
    jobs.push(run('ffmpeg', ['-v', 'error', '-y', '-i', f, '-map', '0:v', '-map', '0:a', '-c', 'copy', '-tag:v', 'hvc1', '-movflags', '+faststart', to]));
  }
  const live = (opts.live ?? []).map((src) => {
    const to = join(dir, `${basename(src.path).replace(/\.[^.]+$/, '')}.live.${src.plan.container}`);
    jobs.push(liveTranscode(src, to));
    return to;
  });
  await Promise.all(jobs);
  for (const f of opts.copy ?? []) copyFileSync(f, join(dir, basename(f)));
  return { dir, long, heavy, hevc, live, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Byte offset where the `n`th top-level box of this type starts in an MP4 (fragment boundaries). */
export function boxOffset(file: string, type: string, n: number): number {
  const data = readFileSync(file);
  for (let at = 0, seen = 0; at + 8 <= data.length; at += data.readUInt32BE(at)) {
    if (data.toString('latin1', at + 4, at + 8) === type && ++seen === n) return at;
  }
  throw new Error(`no box ${type} #${n} in ${file}`);
}

/** Media seconds a player has once the first `bytes` of a file arrived: every stream's packets wholly inside them (ffprobe's packet positions). */
export async function mediaWithin(file: string, bytes: number): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time,duration_time,pos,size', '-of', 'json', file]);
  const ends = new Map<number, number>();
  for (const p of (JSON.parse(stdout) as { packets: { stream_index: number; pts_time: string; duration_time?: string; pos: string; size: string }[] }).packets) {
    const end = Number(p.pts_time) + Number(p.duration_time ?? 0);
    if (!ends.has(p.stream_index)) ends.set(p.stream_index, 0);
    if (Number(p.pos) + Number(p.size) <= bytes) ends.set(p.stream_index, Math.max(ends.get(p.stream_index)!, end));
  }
  return Math.min(...ends.values());
}
