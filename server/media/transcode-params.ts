// What a transcode URL may ask for, validated with zod at the edge, and resolved into a plan
// (defaults filled, container/codec pairs checked) before any ffmpeg argument is built.
import { z } from 'zod';

export const VIDEO_CODECS = ['h264', 'hevc', 'vp8', 'vp9', 'copy'] as const;
export const AUDIO_CODECS = ['aac', 'mp3', 'opus', 'vorbis', 'flac', 'alac', 'pcm_s16le', 'ac3', 'copy'] as const;
export type VideoCodec = (typeof VIDEO_CODECS)[number];
export type AudioCodec = (typeof AUDIO_CODECS)[number];

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
  wav: { format: 'wav', video: [], audio: ['pcm_s16le'], defaultAudio: 'pcm_s16le', mime: { video: 'audio/wav', audio: 'audio/wav' } },
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
}

const querySchema = z.object({
  c: z.enum(containerNames).optional(),
  vc: z.enum(VIDEO_CODECS).optional(),
  ac: z.enum(AUDIO_CODECS).optional(),
  br: z.coerce.number().int().min(16_000).max(200_000_000).optional(),
  start: z.coerce.number().min(0).max(7 * 24 * 3600).optional(),
});

export type PlanResult = { ok: true; plan?: TranscodePlan } | { ok: false; param: string; message: string };

/** `plan` undefined means direct play (no `c`). `hasVideo`: the item is a video (else audio-only output). */
export function planFromQuery(query: URLSearchParams, hasVideo: boolean): PlanResult {
  const parsed = querySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, param: String(issue?.path[0] ?? '?'), message: issue?.message ?? 'invalid' };
  }
  const q = parsed.data;
  if (q.c === undefined) {
    const stray = (['vc', 'ac', 'br'] as const).find((k) => q[k] !== undefined);
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
  if (q.start !== undefined && q.start > 0) plan.start = q.start;
  return { ok: true, plan };
}

export function planMime(plan: TranscodePlan): string {
  const mime = CONTAINERS[plan.container].mime;
  return plan.videoCodec ? mime.video : mime.audio;
}
