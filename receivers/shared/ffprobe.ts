// ffprobe as the software receivers use it: run it (on a URL, or on bytes fed to its stdin), and
// reduce its JSON to what a device's decoders care about. Each emulator adds its own view on top
// (the Chromecast's image/bitrate handling, the Apple TV's sample-entry tag).
import { execFile } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface RawStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
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

export interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string; size?: string };
}

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

export interface FfprobeOptions {
  ffprobePath: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A positive finite number, else null (ffprobe writes numbers as strings, "N/A" when unknown). */
export function num(v: string | number | undefined): number | null {
  const n = typeof v === 'number' ? v : v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function rate(r: string | undefined): number | null {
  const [a, b] = (r ?? '').split('/').map(Number);
  return a && b ? a / b : null;
}

/** The stream of a type a player would pick: the default one, else the first; cover art is not video. */
export function pickStream(streams: RawStream[], type: 'video' | 'audio'): RawStream | undefined {
  const of = streams.filter((s) => s.codec_type === type && !s.disposition?.attached_pic);
  return of.find((s) => s.disposition?.default) ?? of[0];
}

export function videoInfo(v: RawStream): VideoInfo {
  return {
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
  };
}

export function audioInfo(a: RawStream): AudioInfo {
  return { codec: a.codec_name ?? 'unknown', channels: a.channels ?? 0, sampleRate: num(a.sample_rate) ?? 0, bitDepth: num(a.bits_per_raw_sample) ?? num(a.bits_per_sample) };
}

const WEBM_CODECS = new Set(['vp8', 'vp9', 'av1', 'opus', 'vorbis']);

/** Our container name for ffprobe's format_name: 'mp4' (ISO BMFF and QuickTime), 'matroska', 'webm', 'adts', or its own. */
export function containerOf(formatName: string, codecs: string[]): string {
  const names = formatName.split(',');
  if (names.includes('mp4') || names.includes('mov')) return 'mp4';
  // ffprobe names both "matroska,webm": WebM is Matroska restricted to WebM's codecs.
  if (names.includes('matroska')) return codecs.every((c) => WEBM_CODECS.has(c)) ? 'webm' : 'matroska';
  if (names[0] === 'aac') return 'adts';
  return names[0] ?? formatName;
}

/** ffprobe's JSON for `input` (a URL, or 'pipe:0' with `withStdin` feeding it); errors in its words. */
export function runFfprobe(input: string, opts: FfprobeOptions & { userAgent?: string }, withStdin?: (stdin: Writable) => void): Promise<RawProbe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'];
  if (/^https?:/i.test(input)) {
    if (opts.userAgent) args.push('-user_agent', opts.userAgent);
    args.push('-rw_timeout', String(opts.timeoutMs * 1000));
  }
  args.push(input);
  return new Promise((resolve, reject) => {
    const child = execFile(opts.ffprobePath, args, { timeout: opts.timeoutMs, maxBuffer: 8 << 20, ...(opts.signal ? { signal: opts.signal } : {}) }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`cannot read the media: ${stderr.trim().split('\n').pop() || err.message}`));
      try {
        resolve(JSON.parse(stdout) as RawProbe);
      } catch (e) {
        reject(new Error(`cannot read the media: ${(e as Error).message}`));
      }
    });
    if (withStdin) withStdin(child.stdin!);
  });
}
