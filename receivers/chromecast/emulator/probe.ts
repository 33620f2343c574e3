// Reads what a media URL holds with ffprobe over HTTP (ffprobe makes its own Range requests, as a
// device's demuxer does), reduced to what a Cast device's decoders care about.
import { execFile } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ProbedStreams } from './events.js';

export interface VideoInfo {
  codec: string;
  profile: string | null;
  /** As ffprobe reports it: H.264 4.1 → 41, HEVC 5.1 → 153. */
  level: number | null;
  width: number;
  height: number;
  fps: number | null;
  bitDepth: number;
  hdr: 'hdr10' | 'hlg' | 'dolby-vision' | null;
}

export interface AudioInfo {
  codec: string;
  channels: number;
  sampleRate: number;
  bitDepth: number | null;
}

export interface Probe extends ProbedStreams {
  formatName: string;
  duration: number | null;
  /** Bits per second of the whole stream, when known. */
  bitRate: number | null;
  size: number | null;
  /** A still picture (photo), not a timed stream. */
  image: boolean;
  video: VideoInfo | null;
  audio: AudioInfo | null;
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  bits_per_sample?: number;
  channels?: number;
  sample_rate?: string;
  color_transfer?: string;
  bit_rate?: string;
  disposition?: Record<string, number>;
  side_data_list?: { side_data_type?: string }[];
}

interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string; size?: string };
}

/** The user agent of a Chromecast's media fetches, so servers see a Cast device. */
export const CAST_USER_AGENT = 'Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.0 Safari/537.36 CrKey/1.68.0';

const WEBM_CODECS = new Set(['vp8', 'vp9', 'av1', 'opus', 'vorbis']);
const IMAGE_CODECS = new Set(['mjpeg', 'png', 'webp', 'gif', 'bmp']);

export function probeUrl(url: string, opts: { ffprobePath: string; timeoutMs: number; signal?: AbortSignal }): Promise<Probe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-user_agent', CAST_USER_AGENT];
  if (/^https?:/i.test(url)) args.push('-rw_timeout', String(opts.timeoutMs * 1000));
  args.push(url);
  return runFfprobe(args, opts);
}

/**
 * Probes the start of a body already being fetched (a live transcode cannot be fetched twice
 * without being transcoded twice). Feeds ffprobe until it has seen enough; resolves with the
 * probe and the bytes of the body that were consumed for it.
 */
export async function probeBody(body: Readable, opts: { ffprobePath: string; timeoutMs: number; signal?: AbortSignal }): Promise<{ probe: Probe; bytes: number }> {
  let bytes = 0;
  let stdin: Writable | null = null;
  const feed = (chunk: Buffer): void => {
    bytes += chunk.length;
    stdin?.write(chunk);
  };
  try {
    const probe = await runFfprobe(['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', 'pipe:0'], opts, (w) => {
      stdin = w;
      w.on('error', () => undefined); // ffprobe stops reading once it knows enough
      body.on('data', feed);
      body.once('end', () => w.end());
      body.resume();
    });
    return { probe, bytes };
  } finally {
    body.off('data', feed);
    body.pause();
  }
}

function runFfprobe(args: string[], opts: { ffprobePath: string; timeoutMs: number; signal?: AbortSignal }, withStdin?: (stdin: Writable) => void): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = execFile(opts.ffprobePath, args, { timeout: opts.timeoutMs, maxBuffer: 8 << 20, ...(opts.signal ? { signal: opts.signal } : {}) }, (err, stdout, stderr) => {
      if (err) {
        const why = stderr.trim().split('\n').pop() || err.message;
        reject(new Error(`cannot read the media: ${why}`));
        return;
      }
      try {
        resolve(fromRaw(JSON.parse(stdout) as RawProbe));
      } catch (e) {
        reject(new Error(`cannot read the media: ${(e as Error).message}`));
      }
    });
    if (withStdin) withStdin(child.stdin!);
    else child.stdin?.end();
  });
}

function num(v: string | number | undefined): number | null {
  const n = typeof v === 'number' ? v : v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function rate(r: string | undefined): number | null {
  const [a, b] = (r ?? '').split('/').map(Number);
  return a && b ? a / b : null;
}

function pick(streams: RawStream[], type: string): RawStream | undefined {
  const of = streams.filter((s) => s.codec_type === type && !s.disposition?.attached_pic);
  return of.find((s) => s.disposition?.default) ?? of[0];
}

function containerOf(formatName: string, codecs: string[], image: boolean): string {
  const names = formatName.split(',');
  if (image) return 'image';
  if (names.includes('mp4') || names.includes('mov')) return 'mp4';
  // ffprobe names both "matroska,webm": WebM is Matroska restricted to WebM's codecs.
  if (names.includes('matroska')) return codecs.every((c) => WEBM_CODECS.has(c)) ? 'webm' : 'matroska';
  if (names[0] === 'aac') return 'adts';
  return names[0] ?? formatName;
}

export function fromRaw(raw: RawProbe): Probe {
  const streams = raw.streams ?? [];
  const formatName = raw.format?.format_name ?? 'unknown';
  const v = pick(streams, 'video');
  const a = pick(streams, 'audio');
  const image = !!v && !a && IMAGE_CODECS.has(v.codec_name ?? '') && /_pipe|image2|^gif$/.test(formatName);
  const video: VideoInfo | null = v
    ? {
        codec: v.codec_name ?? 'unknown',
        profile: v.profile ?? null,
        level: v.level !== undefined && v.level > 0 ? v.level : null,
        width: v.width ?? 0,
        height: v.height ?? 0,
        fps: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate),
        bitDepth: num(v.bits_per_raw_sample) ?? Number(/(\d+)(le|be)$/.exec(v.pix_fmt ?? '')?.[1] ?? 8),
        hdr: v.side_data_list?.some((d) => /DOVI/i.test(d.side_data_type ?? ''))
          ? 'dolby-vision'
          : v.color_transfer === 'smpte2084' ? 'hdr10' : v.color_transfer === 'arib-std-b67' ? 'hlg' : null,
      }
    : null;
  const audio: AudioInfo | null = a
    ? { codec: a.codec_name ?? 'unknown', channels: a.channels ?? 0, sampleRate: num(a.sample_rate) ?? 0, bitDepth: num(a.bits_per_raw_sample) ?? num(a.bits_per_sample) }
    : null;
  const duration = num(raw.format?.duration);
  const size = num(raw.format?.size);
  const streamRates = streams.reduce((sum, s) => sum + (num(s.bit_rate) ?? 0), 0);
  const bitRate = num(raw.format?.bit_rate) ?? (size && duration ? (size * 8) / duration : null) ?? (streamRates || null);
  const codecs = [video?.codec, audio?.codec].filter((c): c is string => !!c);
  return {
    container: containerOf(formatName, codecs, image),
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    formatName, duration: image ? null : duration, bitRate, size, image, video, audio,
  };
}
