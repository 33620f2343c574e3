// What a transcode URL may ask for, validated with zod at the edge, and resolved into a plan
// (defaults filled, container/codec pairs checked) before any ffmpeg argument is built.
import { z } from 'zod';

export const VIDEO_CODECS = ['h264', 'hevc', 'vp8', 'vp9', 'copy'] as const;
export const AUDIO_CODECS = ['aac', 'mp3', 'opus', 'vorbis', 'flac', 'alac', 'pcm_s16le', 'pcm_s24le', 'ac3', 'copy'] as const;
export type VideoCodec = (typeof VIDEO_CODECS)[number];
export type AudioCodec = (typeof AUDIO_CODECS)[number];
export type BitDepth = 16 | 24 | 32;

interface AudioCaps {
  rates?: readonly number[]; // the only sample rates the encoder takes; absent = any
  maxChannels: number;
  depths?: readonly BitDepth[]; // absent = lossy, no bit depth (bd is ignored)
}

// What this ffmpeg's (5.1) encoders accept (`ffmpeg -h encoder=X`). FLAC and ALAC write at most
// 24 bits here (32-bit FLAC needs ffmpeg 6), so bd=32 is refused for them rather than faked.
export const AUDIO_CAPS: Record<Exclude<AudioCodec, 'copy'>, AudioCaps> = {
  aac: { rates: [96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000], maxChannels: 8 },
  mp3: { rates: [48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000], maxChannels: 2 },
  opus: { rates: [48_000, 24_000, 16_000, 12_000, 8_000], maxChannels: 8 },
  vorbis: { maxChannels: 8 },
  ac3: { rates: [48_000, 44_100, 32_000], maxChannels: 6 },
  flac: { maxChannels: 8, depths: [16, 24] },
  alac: { maxChannels: 8, depths: [16, 24] },
  pcm_s16le: { maxChannels: 8, depths: [16] },
  pcm_s24le: { maxChannels: 8, depths: [24] },
};

interface ContainerSpec {
  format: string; // ffmpeg muxer name (-f)
  video: readonly VideoCodec[]; // empty = audio-only container
  audio: readonly AudioCodec[];
  defaultVideo?: VideoCodec;
  defaultAudio: AudioCodec;
  mime: { video: string; audio: string };
}

const anyVideo = VIDEO_CODECS;
export const CONTAINERS = {
  mp4: { format: 'mp4', video: ['h264', 'hevc', 'copy'], audio: ['aac', 'mp3', 'opus', 'flac', 'alac', 'ac3', 'copy'], defaultVideo: 'h264', defaultAudio: 'aac', mime: { video: 'video/mp4', audio: 'audio/mp4' } },
  matroska: { format: 'matroska', video: anyVideo, audio: AUDIO_CODECS, defaultVideo: 'h264', defaultAudio: 'aac', mime: { video: 'video/x-matroska', audio: 'audio/x-matroska' } },
  webm: { format: 'webm', video: ['vp8', 'vp9', 'copy'], audio: ['opus', 'vorbis', 'copy'], defaultVideo: 'vp9', defaultAudio: 'opus', mime: { video: 'video/webm', audio: 'audio/webm' } },
  mpegts: { format: 'mpegts', video: ['h264', 'hevc', 'copy'], audio: ['aac', 'mp3', 'ac3', 'copy'], defaultVideo: 'h264', defaultAudio: 'aac', mime: { video: 'video/mp2t', audio: 'video/mp2t' } },
  mp3: { format: 'mp3', video: [], audio: ['mp3', 'copy'], defaultAudio: 'mp3', mime: { video: 'audio/mpeg', audio: 'audio/mpeg' } },
  adts: { format: 'adts', video: [], audio: ['aac', 'copy'], defaultAudio: 'aac', mime: { video: 'audio/aac', audio: 'audio/aac' } },
  flac: { format: 'flac', video: [], audio: ['flac', 'copy'], defaultAudio: 'flac', mime: { video: 'audio/flac', audio: 'audio/flac' } },
  ogg: { format: 'ogg', video: [], audio: ['opus', 'vorbis', 'flac', 'copy'], defaultAudio: 'opus', mime: { video: 'audio/ogg', audio: 'audio/ogg' } },
  // HLS, only at /hls (hls-*.ts), never piped at /media: H.264 in MPEG-TS segments (every Apple TV
  // plays them), a copied HEVC picture in fMP4 segments tagged hvc1 (Apple's HLS spec for HEVC).
  hls: { format: 'hls', video: ['h264', 'hevc', 'copy'], audio: ['aac', 'mp3', 'ac3', 'copy'], defaultVideo: 'h264', defaultAudio: 'aac', mime: { video: 'application/vnd.apple.mpegurl', audio: 'application/vnd.apple.mpegurl' } },
  wav: { format: 'wav', video: [], audio: ['pcm_s16le', 'pcm_s24le'], defaultAudio: 'pcm_s16le', mime: { video: 'audio/wav', audio: 'audio/wav' } },
} as const satisfies Record<string, ContainerSpec>;
export type Container = keyof typeof CONTAINERS;

const ALIASES: Record<string, Container> = { mkv: 'matroska', ts: 'mpegts', aac: 'adts' };
const containerNames = [...Object.keys(CONTAINERS), ...Object.keys(ALIASES)] as [string, ...string[]];

/** One transcode, everything decided: what transcode-args.ts turns into an argument list. */
export interface TranscodePlan {
  container: Container;
  videoCodec?: VideoCodec; // undefined = no video (-vn)
  audioCodec: AudioCodec;
  bitrate?: number; // bits per second, total
  start?: number; // seconds, input seek
  /** Audio output rate (Hz): the highest one the encoder takes, at most the asked one. */
  sampleRate?: number;
  /** Only for codecs with a bit depth (lossless); lossy codecs drop it. */
  bitDepth?: BitDepth;
  /** At most the encoder's own limit. */
  channels?: number;
  /** Like DecisionTarget: long edge ≤ maxWidth, short edge ≤ maxHeight; never upscaled. */
  maxWidth?: number;
  maxHeight?: number;
  /** Frames per second, a cap (a slower source keeps its rate). */
  maxFrameRate?: number;
  /** HDR (PQ/HLG) to SDR BT.709. */
  toneMap?: true;
  /** Which of the source's audio streams (0-based, ffmpeg's `0:a:N`): a chosen audio language. */
  audioStream?: number;
}

/** A week: the longest seek a message may ask for (messages.ts) too. */
const MAX_START = 7 * 24 * 3600;

const querySchema = z.object({
  c: z.enum(containerNames).optional(),
  vc: z.enum(VIDEO_CODECS).optional(),
  ac: z.enum(AUDIO_CODECS).optional(),
  br: z.coerce.number().int().min(16_000).max(200_000_000).optional(),
  // Plain decimal seconds only: Number() would also take 0x10, 1e3, ' 5' or Infinity.
  start: z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be plain decimal seconds, e.g. 12.5').transform(Number).pipe(z.number().max(MAX_START)).optional(),
  sr: z.coerce.number().int().min(8_000).max(192_000).optional(),
  bd: z.enum(['16', '24', '32']).transform((v) => Number(v) as BitDepth).optional(),
  ch: z.coerce.number().int().min(1).max(8).optional(),
  mw: z.coerce.number().int().min(16).max(7680).optional(),
  mh: z.coerce.number().int().min(16).max(7680).optional(),
  fps: z.coerce.number().min(1).max(120).optional(),
  tm: z.literal('1').optional(),
  as: z.coerce.number().int().min(0).max(63).optional(),
});

const AUDIO_LIMITS = ['sr', 'bd', 'ch'] as const;
const VIDEO_LIMITS = ['mw', 'mh', 'fps', 'tm'] as const;

export type PlanResult = { ok: true; plan?: TranscodePlan } | { ok: false; param: string; message: string };

/** `plan` undefined means direct play (no `c`). `hasVideo`: the item is a video (else audio-only output).
 *  `duration` (seconds, when known) bounds `start`. */
export function planFromQuery(query: URLSearchParams, hasVideo: boolean, duration?: number | null): PlanResult {
  const parsed = querySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, param: String(issue?.path[0] ?? '?'), message: issue?.message ?? 'invalid' };
  }
  const q = parsed.data;
  if (q.c === undefined) {
    const stray = (['vc', 'ac', 'br', 'start', 'as', ...AUDIO_LIMITS, ...VIDEO_LIMITS] as const).find((k) => q[k] !== undefined);
    return stray ? { ok: false, param: 'c', message: `${stray} needs a container (c)` } : { ok: true };
  }
  const container = (ALIASES[q.c] ?? q.c) as Container;
  const spec: ContainerSpec = CONTAINERS[container];
  if (q.vc !== undefined && !spec.video.includes(q.vc)) return { ok: false, param: 'vc', message: `${q.vc} cannot go in ${container}` };
  if (q.ac !== undefined && !spec.audio.includes(q.ac)) return { ok: false, param: 'ac', message: `${q.ac} cannot go in ${container}` };
  const videoCodec = hasVideo && spec.video.length > 0 ? (q.vc ?? spec.defaultVideo) : undefined;
  const plan: TranscodePlan = { container, audioCodec: q.ac ?? spec.defaultAudio };
  if (videoCodec) plan.videoCodec = videoCodec;
  if (q.br !== undefined) plan.bitrate = q.br;
  // To the millisecond, as URLs carry it (signing.ts): a seek to the very end stays inside.
  const end = duration ? Math.round(duration * 1000) / 1000 : undefined;
  if (q.start !== undefined && end !== undefined && q.start > end) return { ok: false, param: 'start', message: `${q.start} s is past the end of the item (${end} s)` };
  if (q.start !== undefined && q.start > 0) plan.start = q.start;
  if (q.as !== undefined && q.as > 0) plan.audioStream = q.as;
  const problem = audioLimits(plan, q) ?? videoLimits(plan, q, spec);
  return problem ? { ok: false, ...problem } : { ok: true, plan };
}

type Query = z.infer<typeof querySchema>;
type Problem = { param: string; message: string };

/** sr, bd, ch onto the plan, fitted to the encoder; a limit it cannot meet is a 400. */
function audioLimits(plan: TranscodePlan, q: Query): Problem | undefined {
  const ac = plan.audioCodec;
  if (ac === 'copy') {
    const k = AUDIO_LIMITS.find((x) => q[x] !== undefined);
    return k && { param: k, message: `${k} needs re-encoded audio, not ac=copy` };
  }
  const caps = AUDIO_CAPS[ac];
  const sr = q.sr;
  if (sr !== undefined) {
    const rate = caps.rates ? Math.max(...caps.rates.filter((r) => r <= sr)) : sr; // -Infinity if none
    if (!Number.isFinite(rate)) return { param: 'sr', message: `${ac} has no sample rate at or below ${sr}` };
    plan.sampleRate = rate;
  }
  if (q.bd !== undefined && caps.depths) {
    if (!caps.depths.includes(q.bd)) {
      const hint = q.bd === 24 && ac === 'pcm_s16le' ? ' (use ac=pcm_s24le)' : '';
      return { param: 'bd', message: `${ac} has no ${q.bd}-bit form${hint}` };
    }
    plan.bitDepth = q.bd;
  }
  if (q.ch !== undefined) plan.channels = Math.min(q.ch, caps.maxChannels);
  return undefined;
}

/** mw, mh, fps, tm onto the plan: only for re-encoded video; an audio item simply has none. */
function videoLimits(plan: TranscodePlan, q: Query, spec: ContainerSpec): Problem | undefined {
  const k = VIDEO_LIMITS.find((x) => q[x] !== undefined);
  if (!k) return undefined;
  if (spec.video.length === 0) return { param: k, message: `${k} needs a video container` };
  if (plan.videoCodec === 'copy') return { param: k, message: `${k} needs re-encoded video, not vc=copy` };
  if (!plan.videoCodec) return undefined;
  if (q.mw !== undefined) plan.maxWidth = q.mw;
  if (q.mh !== undefined) plan.maxHeight = q.mh;
  if (q.fps !== undefined) plan.maxFrameRate = q.fps;
  if (q.tm) plan.toneMap = true;
  return undefined;
}

export function planMime(plan: TranscodePlan): string {
  const mime = CONTAINERS[plan.container].mime;
  return plan.videoCodec ? mime.video : mime.audio;
}
