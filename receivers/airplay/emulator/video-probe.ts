// What the emulated Apple TV finds in a media URL: ffprobe over HTTP (it makes its own requests,
// as AVPlayer does), reduced to what the profile check and the events need.
import { execFile } from 'node:child_process';

export interface ProbedVideo {
  codec: string;
  /** The sample entry / fourcc ('avc1', 'hvc1', 'hev1', ...); Apple players take HEVC in MP4 only as hvc1. */
  tag: string | null;
  profile: string | null;
  /** As ffprobe reports it: H.264 4.1 → 41, HEVC 5.1 → 153. */
  level: number | null;
  width: number;
  height: number;
  fps: number | null;
  bitDepth: number;
  hdr: 'hdr10' | 'hlg' | 'dolby-vision' | null;
}

export interface ProbedAudio {
  codec: string;
  channels: number;
  sampleRate: number;
  bitDepth: number | null;
}

export interface VideoProbe {
  /** Our container name: 'mp4' (ISO BMFF and QuickTime), 'matroska', 'webm', 'mpegts', 'mp3', 'adts', ... */
  container: string;
  formatName: string;
  duration: number | null;
  video: ProbedVideo | null;
  audio: ProbedAudio | null;
}

interface RawStream {
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
  disposition?: Record<string, number>;
  side_data_list?: { side_data_type?: string }[];
}

/** AVPlayer's user agent on tvOS, so the server's log shows an Apple TV. */
export const APPLE_TV_USER_AGENT = 'AppleCoreMedia/1.0.0.12B435 (Apple TV; U; CPU OS 8_1 like Mac OS X; en_us)';

const num = (v: string | number | undefined): number | null => {
  const n = typeof v === 'number' ? v : v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : null;
};
const rate = (r: string | undefined): number | null => {
  const [a, b] = (r ?? '').split('/').map(Number);
  return a && b ? a / b : null;
};

function pick(streams: RawStream[], type: string): RawStream | undefined {
  const of = streams.filter((s) => s.codec_type === type && !s.disposition?.attached_pic);
  return of.find((s) => s.disposition?.default) ?? of[0];
}

function containerOf(formatName: string, codecs: string[]): string {
  const names = formatName.split(',');
  if (names.includes('mp4') || names.includes('mov')) return 'mp4';
  if (names.includes('matroska')) return codecs.every((c) => ['vp8', 'vp9', 'av1', 'opus', 'vorbis'].includes(c)) ? 'webm' : 'matroska';
  if (names[0] === 'aac') return 'adts';
  return names[0] ?? formatName;
}

export function fromFfprobe(raw: { streams?: RawStream[]; format?: { format_name?: string; duration?: string } }): VideoProbe {
  const streams = raw.streams ?? [];
  const formatName = raw.format?.format_name ?? 'unknown';
  const v = pick(streams, 'video');
  const a = pick(streams, 'audio');
  const video: ProbedVideo | null = v
    ? {
        codec: v.codec_name ?? 'unknown',
        tag: v.codec_tag_string && !/^\[/.test(v.codec_tag_string) ? v.codec_tag_string : null,
        profile: v.profile ?? null,
        level: v.level !== undefined && v.level > 0 ? v.level : null,
        width: v.width ?? 0,
        height: v.height ?? 0,
        fps: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate),
        bitDepth: num(v.bits_per_raw_sample) ?? Number(/(\d+)(le|be)$/.exec(v.pix_fmt ?? '')?.[1] ?? 8),
        hdr: v.side_data_list?.some((d) => /DOVI/i.test(d.side_data_type ?? '')) ? 'dolby-vision' : v.color_transfer === 'smpte2084' ? 'hdr10' : v.color_transfer === 'arib-std-b67' ? 'hlg' : null,
      }
    : null;
  const audio: ProbedAudio | null = a ? { codec: a.codec_name ?? 'unknown', channels: a.channels ?? 0, sampleRate: num(a.sample_rate) ?? 0, bitDepth: num(a.bits_per_raw_sample) ?? num(a.bits_per_sample) } : null;
  const codecs = [video?.codec, audio?.codec].filter((c): c is string => !!c);
  return { container: containerOf(formatName, codecs), formatName, duration: num(raw.format?.duration), video, audio };
}

export function probeMedia(url: string, opts: { ffprobePath: string; timeoutMs: number; signal?: AbortSignal }): Promise<VideoProbe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-user_agent', APPLE_TV_USER_AGENT];
  if (/^https?:/i.test(url)) args.push('-rw_timeout', String(opts.timeoutMs * 1000));
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(opts.ffprobePath, args, { timeout: opts.timeoutMs, maxBuffer: 8 << 20, signal: opts.signal }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`cannot read the media: ${stderr.trim().split('\n').pop() || err.message}`));
      try {
        resolve(fromFfprobe(JSON.parse(stdout)));
      } catch (e) {
        reject(new Error(`cannot read the media: ${(e as Error).message}`));
      }
    });
  });
}
