// Transcodes per core: 1, 2, 3… simultaneous transcodes of a generated HEVC 1080p source to H.264
// with the arguments the server builds for a Chromecast (decide → target → plan → ffmpeg args, the
// same functions the media routes call), and how many of them all keep real time for 60 s of
// source (each ffmpeg's speed = source seconds / its wall time ≥ 1.0; a level is stopped once its
// wall time passes the source's length: it has already lost real time). The reference: Jellyfin's
// default software x264 settings run the same way (MediaBrowser.Controller/MediaEncoding/
// EncodingHelper.cs, GetEncoderParam and the libx264 -x264opts line; EncodingOptions.cs:
// EncoderPreset auto → veryfast, H264Crf 23, EncodingThreadCount -1 → -threads 0). Quality beside:
// SSIM of the first 10 s of each output against the source (ffmpeg's ssim filter). Then
// audio-only (FLAC → AAC) and HLS segments.
// The whole run tries the level of one transcode per core first (at most that many: an HEVC 1080p
// transcode takes about two thirds of a core) and walks down only when it fails, to stay within its
// 10 minutes; --only transcode walks up from one, to 8 video / 256 audio at once.
// BENCH_TRANSCODE_SECONDS sets another length. The 60 s source is a 10 s generated one played six
// times over (-stream_loop, copied: the encoder's work per frame is the same, and x264's 10-frame
// lookahead sees no repetition); sources are kept in the temp dir.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileForModel } from '../../receivers/chromecast/profile.js';
import { buildHlsArgs } from '../../server/media/hls-args.js';
import { targetParams } from '../../server/media/signing.js';
import { transcodeTargetFrom } from '../../server/media/target.js';
import { buildTranscodeArgs, type FfmpegArgs } from '../../server/media/transcode-args.js';
import { planFromQuery, type TranscodePlan } from '../../server/media/transcode-params.js';
import { decide } from '../../server/playback/decide.js';
import type { MediaInfo } from '../../server/playback/media-info.js';
import type { Row } from './lib/table.js';
import { median } from '../helpers/stats.js';

/** Set per run by benchTranscode. */
let SECONDS = 60;
/** Generated once, then looped to SECONDS. */
const GENERATED_SECONDS = 10;
const FPS = 24;
let MAX_VIDEO = 8;
let MAX_AUDIO = 256;

/** What the library would have stored for the generated source. */
const HEVC_1080P: MediaInfo = {
  container: 'matroska',
  video: { codec: 'hevc', profile: 'Main', level: 120, width: 1920, height: 1080, frameRate: FPS, bitDepth: 8, hdr: null },
  audio: { codec: 'aac', channels: 2, sampleRate: 48000, bitDepth: null, lossless: false },
  bitrate: 6e6,
  subtitles: [],
};

interface FfmpegRun {
  ms: number;
  code: number | null;
  err: string;
  /** User + system seconds (ffmpeg's own -benchmark line, which load elsewhere does not inflate); null when stopped. */
  cpuS: number | null;
  /** Source seconds done (-progress), for a run stopped before its end. */
  doneS: number;
  /** Stopped at `stopAfterMs`. */
  stopped: boolean;
}

/** Runs ffmpeg; stops it (SIGKILL) after `stopAfterMs` of wall time, if given. */
function ffmpeg(args: string[], stopAfterMs?: number): Promise<FfmpegRun> {
  const t0 = performance.now();
  // -benchmark prints at info level: lift -loglevel error to info (without the progress line).
  const withBench = ['-benchmark', '-nostats', '-progress', 'pipe:1', ...args.map((a, i) => (a === 'error' && args[i - 1] === '-loglevel' ? 'info' : a))];
  return new Promise((resolve) => {
    const p = spawn('ffmpeg', withBench, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let doneS = 0;
    let stopped = false;
    p.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
    p.stdout.on('data', (b: Buffer) => {
      const m = [...b.toString().matchAll(/out_time_us=(\d+)/g)].pop();
      if (m) doneS = Number(m[1]) / 1e6;
    });
    const timer = stopAfterMs === undefined ? undefined : setTimeout(() => ((stopped = true), p.kill('SIGKILL')), stopAfterMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      const m = /bench: utime=([\d.]+)s stime=([\d.]+)s/.exec(err);
      resolve({ ms: performance.now() - t0, code, err, cpuS: m && !stopped ? Number(m[1]) + Number(m[2]) : null, doneS, stopped });
    });
  });
}

async function ok(args: string[], what: string): Promise<number> {
  const r = await ffmpeg(args);
  if (r.code !== 0) throw new Error(`${what}: ffmpeg exited ${r.code}: ${r.err}`);
  return r.ms;
}

/** The sources: HEVC 1080p with moving detail and grain (an encoder's real work, unlike a flat test card), and a FLAC album track. */
async function sources(progress: (s: string) => void): Promise<{ hevc: string; flac: string }> {
  const dir = join(tmpdir(), 'homecast-bench-transcode');
  await mkdir(dir, { recursive: true });
  const generated = join(dir, `hevc-1080p-${GENERATED_SECONDS}s.mkv`);
  const hevc = join(dir, `hevc-1080p-${SECONDS}s.mkv`);
  const flac = join(dir, `album-track-${SECONDS}s.flac`);
  if (!existsSync(generated)) {
    progress(`transcode: generating ${GENERATED_SECONDS} s of HEVC 1080p (once, kept in ${dir})`);
    await ok(['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=${FPS},noise=alls=8:allf=t`,
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(GENERATED_SECONDS), '-c:v', 'libx265', '-preset', 'ultrafast', '-crf', '24',
      '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', generated + '.part.mkv'], 'HEVC source');
    await ok(['-hide_banner', '-loglevel', 'error', '-y', '-i', generated + '.part.mkv', '-c', 'copy', generated], 'HEVC source');
    await rm(generated + '.part.mkv');
  }
  if (!existsSync(hevc)) {
    const loops = Math.ceil(SECONDS / GENERATED_SECONDS) - 1;
    await ok(['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops), '-i', generated, '-t', String(SECONDS), '-c', 'copy', hevc + '.part.mkv'], 'HEVC source');
    await rename(hevc + '.part.mkv', hevc);
  }
  if (!existsSync(flac)) {
    await ok(['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=color=pink:sample_rate=44100:amplitude=0.3', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100',
      '-filter_complex', '[0][1]amix=inputs=2,aformat=channel_layouts=stereo', '-t', String(SECONDS), '-c:a', 'flac', flac + '.part.flac'], 'FLAC source');
    await rename(flac + '.part.flac', flac);
  }
  return { hevc, flac };
}

/** The plan the server makes for this source on a (1st–3rd gen) Chromecast. */
function chromecastPlan(): TranscodePlan {
  const target = transcodeTargetFrom(decide(HEVC_1080P, profileForModel('Chromecast')));
  if (!target) throw new Error('a Chromecast plays HEVC 1080p directly: nothing to transcode');
  const r = planFromQuery(new URLSearchParams(targetParams(target)), true, SECONDS);
  if (!r.ok || !r.plan) throw new Error(`no plan for ${JSON.stringify(target)}`);
  return r.plan;
}

/** Our arguments, with a variant's video options swapped in (tuning runs). */
type Variant = { name: string; args: (input: string, output: string) => string[] };

const withOutput = (a: FfmpegArgs, input: string, output: string) => [...a.input, '-i', input, ...a.output, '-y', output];

function oursVariant(name = 'ours', change: (out: string[]) => string[] = (o) => o): Variant {
  const a = buildTranscodeArgs(chromecastPlan(), { frameRate: FPS, videoCodec: 'hevc' });
  return { name, args: (input, output) => withOutput({ input: a.input, output: change(a.output) }, input, output) };
}

/** Jellyfin 10.11's software H.264 for the same target: its video options in place of ours, the rest alike. */
function jellyfinVariant(): Variant {
  return oursVariant('Jellyfin defaults', (out) => {
    const at = out.indexOf('libx264');
    const end = out.indexOf('-crf') + 2; // ours: -c:v libx264 -preset … -pix_fmt … -force_key_frames … -crf 23
    return [...out.slice(0, at + 1), '-preset', 'veryfast', '-crf', '23', '-profile:v:0', 'high',
      '-x264opts:0', 'subme=0:me_range=16:rc_lookahead=10:me=hex:open_gop=0', '-pix_fmt', 'yuv420p', '-force_key_frames', 'expr:gte(t,n_forced*2)',
      '-threads', '0', ...out.slice(end)];
  });
}

/**
 * Speeds (source seconds per wall second) of n simultaneous runs. A run still going when its wall
 * time reaches the source's length has lost real time: the level is stopped there (its speed is what
 * it had done by then).
 */
async function level(n: number, run: (i: number) => string[], seconds: number, scratch: string): Promise<{ speeds: number[]; cpuS: number[]; finished: boolean }> {
  await mkdir(scratch, { recursive: true });
  const runs = await Promise.all(Array.from({ length: n }, (_, i) => ffmpeg(run(i), seconds * 1000 + 500)));
  const bad = runs.find((r) => r.code !== 0 && !r.stopped);
  if (bad) throw new Error(`ffmpeg exited ${bad.code}: ${bad.err}`);
  return { speeds: runs.map((r) => (r.stopped ? r.doneS : seconds) / (r.ms / 1000)), cpuS: runs.flatMap((r) => (r.cpuS === null ? [] : [r.cpuS])), finished: runs.every((r) => !r.stopped) };
}

interface Capacity {
  /** The most at once that all kept real time. */
  held: number;
  /** The lowest level run and its slowest speed (one alone, when level 1 ran). */
  first: { n: number; speed: number };
  /** Real-time streams' worth at the best level tried: n × the slowest speed. */
  worth: number;
  /** Streams per core by CPU time: source seconds per CPU second (median run); what an idle core would hold. */
  byCpu: number | null;
}

/**
 * The most simultaneous runs that all kept real time, trying at most `max`. `top`: start at `max`
 * and walk down until a level holds (the whole run: a level that holds says the ones below it do);
 * else start at one, take the speed of one run as the guess (n runs of speed s/n each cannot do
 * better than s in total), check there and one past it, then walk (levels doubling for `doubling`).
 */
async function capacity(name: string, run: (i: number, dir: string) => string[], seconds: number, scratch: string, progress: (s: string) => void, opts: { max: number; doubling?: boolean; top?: boolean; afterFinished?: (dir: string) => Promise<void> }): Promise<Capacity> {
  const speeds = new Map<number, number>();
  const cpu: number[] = [];
  let inspected = false;
  const at = async (n: number) => {
    const dir = join(scratch, `${n}`);
    const l = await level(n, (i) => run(i, dir), seconds, dir);
    cpu.push(...l.cpuS);
    const s = Math.min(...l.speeds);
    if (l.finished && !inspected) {
      inspected = true;
      await opts.afterFinished?.(dir);
    }
    await rm(dir, { recursive: true, force: true });
    speeds.set(n, s);
    progress(`transcode: ${name}: ${n} at once, slowest ${s.toFixed(2)}×`);
    return s;
  };
  const result = (held: number): Capacity => {
    const n = Math.min(...speeds.keys());
    return {
      held,
      first: { n, speed: speeds.get(n)! },
      worth: Math.max(...[...speeds].map(([k, v]) => k * v)),
      byCpu: cpu.length ? seconds / median(cpu) : null,
    };
  };
  if (opts.top) {
    for (let n = opts.max; n >= 1; n = opts.doubling ? Math.floor(n / 2) : n - 1) if ((await at(n)) >= 1) return result(n);
    return result(0);
  }
  const one = await at(1);
  if (one < 1) return result(0);
  let held = 1;
  let n = opts.doubling ? 2 : Math.max(2, Math.min(opts.max, Math.floor(one)));
  while (n <= opts.max) {
    if ((await at(n)) < 1) break;
    held = n;
    n = opts.doubling ? n * 2 : n + 1;
  }
  // The guess from one run's speed may have started past what holds: walk down to what does.
  for (let m = Math.min(n, opts.max) - 1; m > held && !opts.doubling; m--) if ((await at(m)) >= 1) (held = m);
  return result(held);
}

/** SSIM (in dB) of the first 10 s of `output` against the source. */
async function ssim(output: string, source: string): Promise<number | null> {
  const r = await new Promise<string>((resolve) => {
    const p = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-t', '10', '-i', output, '-t', '10', '-i', source, '-lavfi', '[0:v][1:v]ssim', '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('close', () => resolve(err));
  });
  // ffmpeg prints SSIM also in dB (−10·log10(1 − SSIM)): differences near 1.0 stay readable.
  const m = /SSIM .* All:[\d.]+ \(([\d.]+)\)/.exec(r);
  return m ? Number(m[1]) : null;
}

type VideoResult = Capacity & { ssim: number | null; kbps: number };

async function videoRow(v: Variant, src: { hevc: string }, scratch: string, progress: (s: string) => void, top: boolean): Promise<VideoResult> {
  const dir = join(scratch, v.name.replace(/\W+/g, '-'));
  // Quality and size from the first level that finished (every run encodes the same).
  let kbps = 0;
  let q: number | null = null;
  const cap = await capacity(v.name, (i, d) => v.args(src.hevc, join(d, `${i}.mp4`)), SECONDS, dir, progress, {
    max: MAX_VIDEO,
    top,
    afterFinished: async (d) => {
      const out = join(d, '0.mp4');
      kbps = ((await stat(out)).size * 8) / SECONDS / 1000;
      q = await ssim(out, src.hevc);
    },
  });
  await rm(dir, { recursive: true, force: true });
  return { ...cap, ssim: q, kbps };
}

const speedAt = (c: Capacity) => (c.first.n === 1 ? `one alone ${c.first.speed.toFixed(2)}×` : `${c.first.n} at once, slowest ${c.first.speed.toFixed(2)}×`);

/**
 * `full` (--only transcode): walks up from one, to 8 video / 256 audio at once; else (the whole
 * run) tries one video transcode per core and 8 audio ones first, walking down only if they fail.
 */
export async function benchTranscode(work: string, progress: (s: string) => void, full = false): Promise<Row[]> {
  SECONDS = Number(process.env.BENCH_TRANSCODE_SECONDS ?? 60);
  const cores = availableParallelism();
  [MAX_VIDEO, MAX_AUDIO] = full ? [8, 256] : [cores, 8];
  const top = !full;
  const src = await sources(progress);
  const scratch = join(work, 'transcode');
  const ours = await videoRow(oursVariant(), src, scratch, progress, top);
  const jelly = await videoRow(jellyfinVariant(), src, scratch, progress, top);
  const q = (r: VideoResult) => `SSIM ${r.ssim?.toFixed(2) ?? 'n/a'} dB (first 10 s), ${Math.round(r.kbps)} kb/s, ${speedAt(r)}`;

  // HLS: the same plan as segments, as the media routes cut them for a player that asks for HLS.
  const hlsPlan: TranscodePlan = { ...chromecastPlan(), container: 'hls', audioCodec: 'aac' };
  const hls = await capacity('HLS', (i, dir) => {
    const segments = join(dir, `${i}`);
    mkdirSync(segments, { recursive: true });
    const a = buildHlsArgs(hlsPlan, { startSegment: 0, dir: segments, source: { frameRate: FPS, videoCodec: 'hevc' } });
    return [...a.input, '-i', src.hevc, ...a.output, '-y', a.target];
  }, SECONDS, join(scratch, 'hls'), progress, { max: MAX_VIDEO, top });

  // Audio only: FLAC → AAC, the plan a receiver without FLAC gets.
  const aac = buildTranscodeArgs({ container: 'mp4', audioCodec: 'aac' });
  const audio = await capacity('FLAC → AAC', (i, dir) => withOutput(aac, src.flac, join(dir, `${i}.m4a`)), SECONDS, join(scratch, 'aac'), progress, { max: MAX_AUDIO, doubling: true, top });

  const tried = full ? 'levels walking up from one' : 'the most tried first';
  const note = `HEVC 1080p ${FPS} fps → H.264 (Chromecast plan), ${SECONDS} s source, ${cores} cores${full ? '' : ' (--only transcode walks up to 8)'}; ours: ${q(ours)}; Jellyfin: ${q(jelly)}`;
  return [
    { section: 'transcode', metric: `HEVC 1080p → H.264 at once, all ≥ 1.0× real time for ${SECONDS} s (at most ${MAX_VIDEO}, ${tried})`, unit: 'streams', better: 'higher', ours: ours.held, ref: jelly.held, refName: 'Jellyfin default x264', note },
    { section: 'transcode', metric: 'HEVC 1080p → H.264 per core (real-time streams\' worth: n × slowest speed)', unit: 'streams', better: 'higher', ours: ours.worth / cores, ref: jelly.worth / cores, refName: 'Jellyfin default x264' },
    { section: 'transcode', metric: 'HEVC 1080p → H.264 per core by CPU time (source s per CPU s: load-proof)', unit: 'streams', better: 'higher', ours: ours.byCpu, ref: jelly.byCpu, refName: 'Jellyfin default x264' },
    { section: 'transcode', metric: 'HEVC 1080p → H.264, SSIM against the source (first 10 s)', unit: 'dB', better: 'higher', ours: ours.ssim, ref: jelly.ssim, refName: 'Jellyfin default x264' },
    { section: 'transcode', metric: `HEVC 1080p → HLS segments at once, all ≥ 1.0× for ${SECONDS} s (at most ${MAX_VIDEO})`, unit: 'streams', better: 'higher', ours: hls.held, ref: ours.held, refName: 'ours, progressive MP4', note: `HLS: ${speedAt(hls)}, ${hls.worth.toFixed(2)} real-time streams' worth, ${hls.byCpu?.toFixed(2) ?? 'n/a'} per core by CPU time` },
    { section: 'transcode', metric: `FLAC → AAC at once, all ≥ 1.0× for ${SECONDS} s (levels doubling, at most ${MAX_AUDIO})`, unit: 'streams', better: 'higher', ours: audio.held, ref: null, refName: 'none', note: `${speedAt(audio)}, ${audio.byCpu?.toFixed(0) ?? 'n/a'} per core by CPU time` },
  ];
}
