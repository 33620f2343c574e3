// Video through ffprobe: container, every stream (codec, profile, level, size, frame rate,
// HDR, channels, language), embedded text subtitles, and .srt/.vtt files beside the video.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { promisify } from 'node:util';
import { oneOfFew } from './probe-children.js';
import type { SubtitleInfo, VideoInfo, VideoStream } from './probe-types.js';
import { titleAndYear, yearFromTags } from './video-name.js';

const run = promisify(execFile);
/** ffprobe reads headers: a minute is far past any real file, and bounds one that never answers. */
const PROBE_TIMEOUT_MS = 60_000;

interface FfStream {
  index: number;
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
  color_transfer?: string;
  color_primaries?: string;
  side_data_list?: { side_data_type?: string }[];
  channels?: number;
  channel_layout?: string;
  sample_rate?: string;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
}

interface FfProbe {
  format?: { format_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
  streams?: FfStream[];
}

const textSubtitleCodecs = new Set(['subrip', 'srt', 'ass', 'ssa', 'webvtt', 'mov_text', 'text']);

function rate(r: string | undefined): number | null {
  if (!r) return null;
  const [n, d] = r.split('/').map(Number);
  if (!n || !d) return null;
  return Math.round((n / d) * 1000) / 1000;
}

function num(s: string | number | undefined): number | null {
  const n = Number(s);
  return s !== undefined && Number.isFinite(n) ? n : null;
}

function hdrOf(s: FfStream): string | null {
  if (s.side_data_list?.some((d) => /dovi|dolby vision/i.test(d.side_data_type ?? ''))) return 'dolby-vision';
  if (s.color_transfer === 'smpte2084') return 'hdr10';
  if (s.color_transfer === 'arib-std-b67') return 'hlg';
  return null;
}

function bitDepthOf(s: FfStream): number | null {
  const raw = num(s.bits_per_raw_sample);
  if (raw) return raw;
  const m = /p(\d+)(le|be)$/.exec(s.pix_fmt ?? '');
  return m ? Number(m[1]) : s.pix_fmt ? 8 : null;
}

function toStream(s: FfStream): VideoStream {
  const type = s.codec_type === 'video' || s.codec_type === 'audio' || s.codec_type === 'subtitle' ? s.codec_type : 'other';
  const base: VideoStream = {
    index: s.index,
    type,
    codec: s.codec_name ?? null,
    language: s.tags?.language && s.tags.language !== 'und' ? s.tags.language : null,
    title: s.tags?.title ?? null,
    default: s.disposition?.default === 1,
    forced: s.disposition?.forced === 1,
  };
  if (type === 'video') {
    return { ...base, profile: s.profile ?? null, level: s.level ?? null, width: s.width ?? null, height: s.height ?? null, frameRate: rate(s.avg_frame_rate) ?? rate(s.r_frame_rate), pixFmt: s.pix_fmt ?? null, bitDepth: bitDepthOf(s), hdr: hdrOf(s) };
  }
  if (type === 'audio') {
    return { ...base, profile: s.profile ?? null, channels: s.channels ?? null, channelLayout: s.channel_layout ?? null, sampleRate: num(s.sample_rate) };
  }
  return base;
}

const demuxerByExt: Record<string, string> = {
  mkv: 'matroska', m4v: 'mp4', ts: 'mpegts', m2ts: 'mpegts', mpg: 'mpeg', wmv: 'asf', wma: 'asf',
  opus: 'ogg', oga: 'ogg', aif: 'aiff', m4b: 'm4a', alac: 'm4a',
};

/** The ffprobe demuxer a file of this extension should be read by. */
export function expectedContainer(path: string): string {
  const ext = extname(path).slice(1).toLowerCase();
  return demuxerByExt[ext] ?? ext;
}

/** ffprobe names demuxers ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"): pick the one this file is. */
function containerName(formatName: string | undefined, path: string): string | null {
  if (!formatName) return null;
  const parts = formatName.split(',');
  const wanted = expectedContainer(path);
  return parts.includes(wanted) ? wanted : parts[0]!;
}

const externalSubExts = new Set(['.srt', '.vtt']);

/** Movie.srt, Movie.en.srt, Movie.fr.forced.vtt, Movie.en.default.srt beside Movie.mkv (the names Plex and Jellyfin read). */
async function externalSubtitles(path: string): Promise<SubtitleInfo[]> {
  const dir = dirname(path);
  const stem = basename(path, extname(path));
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => externalSubExts.has(extname(n).toLowerCase()) && (n.startsWith(`${stem}.`)))
    .sort()
    .map((n) => {
      const middle = n.slice(stem.length + 1, -extname(n).length).split('.').filter(Boolean);
      const language = middle.find((p) => /^[a-z]{2,3}(-[A-Za-z]{2})?$/.test(p)) ?? null;
      const flags = new Set(middle.map((p) => p.toLowerCase()));
      return { source: 'external' as const, format: extname(n).slice(1).toLowerCase(), language, title: null, path: join(dir, n), default: flags.has('default'), forced: flags.has('forced') };
    });
}

/** `read`: what ffprobe opens (the scanner's checked descriptor, through /proc); `path` names the file. */
export async function probeVideo(path: string, ffprobe = 'ffprobe', read = path): Promise<VideoInfo> {
  let out: string;
  try {
    ({ stdout: out } = await oneOfFew(() => run(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', read], { maxBuffer: 16 << 20, timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL' })));
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`ffprobe failed: ${(e.stderr || e.message).trim().split('\n').pop()}`);
  }
  const p = JSON.parse(out) as FfProbe;
  const streams = (p.streams ?? []).map(toStream);
  const video = streams.find((s) => s.type === 'video' && !(p.streams?.[s.index]?.disposition?.attached_pic === 1));
  const audio = streams.find((s) => s.type === 'audio');
  if (!video && !audio) throw new Error('no audio or video stream found');
  const embedded: SubtitleInfo[] = streams
    .filter((s) => s.type === 'subtitle' && textSubtitleCodecs.has(s.codec ?? ''))
    .map((s) => ({ source: 'embedded', format: s.codec!, language: s.language ?? null, title: s.title ?? null, streamIndex: s.index, default: s.default === true, forced: s.forced === true }));
  const named = titleAndYear(basename(path, extname(path)));
  return {
    title: p.format?.tags?.title?.trim() || named.title,
    year: yearFromTags(p.format?.tags) ?? named.year,
    container: containerName(p.format?.format_name, path),
    duration: num(p.format?.duration),
    bitrate: num(p.format?.bit_rate),
    width: video?.width ?? null,
    height: video?.height ?? null,
    videoCodec: video?.codec ?? null,
    audioCodec: audio?.codec ?? null,
    hdr: video?.hdr ?? null,
    streams,
    subtitles: [...embedded, ...(await externalSubtitles(path))],
  };
}

/** One JPEG frame, 10% in (capped at a minute), for a poster when no image sits beside the video. */
export async function grabFrame(path: string, duration: number | null, ffmpeg = 'ffmpeg', read = path): Promise<Uint8Array | null> {
  const at = Math.min(60, Math.max(0, (duration ?? 0) * 0.1));
  try {
    const { stdout } = await oneOfFew(() => run(ffmpeg, ['-v', 'error', '-ss', at.toFixed(2), '-i', read, '-frames:v', '1', '-vf', 'scale=640:-2', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'], {
      encoding: 'buffer',
      maxBuffer: 8 << 20,
      timeout: 30_000,
      killSignal: 'SIGKILL',
    }));
    return stdout.length > 0 ? new Uint8Array(stdout) : null;
  } catch {
    return null;
  }
}
