// Pure ffmpeg argument building (Immich-style): a plan in, the exact argument lists out.
// Unit tests assert these lists; transcode.ts only hands them to fluent-ffmpeg.
import { CONTAINERS, type AudioCodec, type BitDepth, type TranscodePlan, type VideoCodec } from './transcode-params.js';

export interface FfmpegArgs {
  input: string[]; // before `-i <input>`
  output: string[]; // after it, before `pipe:1`
}

/** What is known of the source, when it is: lets a frame-rate cap become an exact `fps=` filter. */
export interface SourceHints {
  frameRate?: number | null;
  /** The source's video codec as ffprobe names it ('hevc', 'h264'): a copied HEVC stream needs its MP4 tag set. */
  videoCodec?: string | null;
}

/** Keyframes every 2 s: fragments (fMP4) stay short, so playback starts fast; HLS segments are this long. */
export const KEYFRAME_SECONDS = 2;
const KEYFRAMES = ['-force_key_frames', `expr:gte(t,n_forced*${KEYFRAME_SECONDS})`];

// x264 for live streams: veryfast with the cheaper analysis Jellyfin uses (EncodingHelper.cs,
// GetVideoQualityParam's libx264 -x264opts). The transcode bench (test/bench/transcode.ts) measured it
// on HEVC 1080p: 1.49 real-time streams per core by CPU time against 1.05 for plain veryfast, SSIM
// within 0.05 dB, bitrate +18 % (2026-12-05).
export const X264_LIVE = 'subme=0:me_range=16:rc_lookahead=10:me=hex:open_gop=0';

const VIDEO: Record<VideoCodec, string[]> = {
  h264: ['-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', X264_LIVE, '-pix_fmt', 'yuv420p', ...KEYFRAMES],
  // x265 prints its settings on stderr by default; quiet it so failures keep a useful stderr tail.
  hevc: ['-c:v', 'libx265', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-x265-params', 'log-level=error', ...KEYFRAMES],
  vp8: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', ...KEYFRAMES],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', ...KEYFRAMES],
  copy: ['-c:v', 'copy'],
};

// Quality when no bitrate is asked for.
const VIDEO_QUALITY: Record<Exclude<VideoCodec, 'copy'>, string[]> = {
  h264: ['-crf', '23'],
  hevc: ['-crf', '28'],
  vp8: ['-b:v', '2000000'], // libvpx (VP8) needs a target bitrate
  vp9: ['-crf', '32', '-b:v', '0'], // constant quality mode
};

const AUDIO: Record<AudioCodec, string[]> = {
  aac: ['-c:a', 'aac'],
  mp3: ['-c:a', 'libmp3lame'],
  opus: ['-c:a', 'libopus'],
  vorbis: ['-c:a', 'libvorbis'],
  flac: ['-c:a', 'flac'],
  alac: ['-c:a', 'alac'],
  pcm_s16le: ['-c:a', 'pcm_s16le'],
  pcm_s24le: ['-c:a', 'pcm_s24le'],
  ac3: ['-c:a', 'ac3'],
  copy: ['-c:a', 'copy'],
};

// Lossy audio encoders: [default, min, max] bits per second.
const AUDIO_RATE: Partial<Record<AudioCodec, [number, number, number]>> = {
  aac: [192_000, 32_000, 512_000],
  mp3: [256_000, 32_000, 320_000],
  opus: [128_000, 16_000, 510_000],
  vorbis: [160_000, 48_000, 500_000],
  ac3: [384_000, 96_000, 640_000],
};

// Sample formats by bit depth. FLAC and ALAC keep 24 bits in 32-bit samples; the raw-sample count
// says 24 (`:a` so it never reaches the video encoder). PCM codecs name their depth; lossy ones have none.
const SAMPLE_FORMAT: Partial<Record<AudioCodec, Partial<Record<BitDepth, string[]>>>> = {
  flac: { 16: ['-sample_fmt', 's16'], 24: ['-sample_fmt', 's32', '-bits_per_raw_sample:a', '24'] },
  alac: { 16: ['-sample_fmt', 's16p'], 24: ['-sample_fmt', 's32p', '-bits_per_raw_sample:a', '24'] },
};

// HDR (PQ or HLG, read from the frame's tags) → linear light → BT.709 primaries → Hable curve →
// BT.709 transfer and matrix, limited range, 8-bit 4:2:0. zimg (zscale) does the conversions;
// ffmpeg's own colorspace filter knows neither PQ nor HLG.
const TONE_MAP = ['zscale=t=linear:npl=100', 'format=gbrpf32le', 'zscale=p=bt709', 'tonemap=tonemap=hable:desat=0', 'zscale=t=bt709:m=bt709:r=tv', 'format=yuv420p'];
const BT709_TAGS = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'];

/** Fit into long edge × short edge (a portrait video swaps them), never upscale, even sizes for 4:2:0. */
function scaleFilter(long: number | undefined, short: number | undefined): string {
  const min = (dim: string, v: number | undefined) => (v === undefined ? dim : `min(${dim},${v})`);
  const [w, h] =
    long === short
      ? [min('iw', long), min('ih', short)]
      : [`if(gte(iw,ih),${min('iw', long)},${min('iw', short)})`, `if(gte(iw,ih),${min('ih', short)},${min('ih', long)})`];
  return `scale=w='${w}':h='${h}':force_original_aspect_ratio=decrease:force_divisible_by=2`;
}

/** -vf and friends for the plan's video limits (re-encoded video only). */
function videoLimitArgs(plan: TranscodePlan, source: SourceHints | undefined): string[] {
  const filters: string[] = [];
  const extra: string[] = [];
  const cap = plan.maxFrameRate;
  if (cap !== undefined) {
    const rate = source?.frameRate;
    // Unknown source rate: -fpsmax lowers the output rate to the cap only if the source is faster.
    if (rate === undefined || rate === null) extra.push('-fpsmax', String(cap));
    else if (rate > cap) filters.push(`fps=${cap}`); // a slower source is left alone (no duplicated frames)
  }
  if (plan.maxWidth !== undefined || plan.maxHeight !== undefined) filters.push(scaleFilter(plan.maxWidth, plan.maxHeight));
  if (plan.toneMap) {
    filters.push(...TONE_MAP);
    extra.push(...BT709_TAGS);
  }
  return filters.length > 0 ? ['-vf', filters.join(','), ...extra] : extra;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function buildTranscodeArgs(plan: TranscodePlan, source?: SourceHints): FfmpegArgs {
  const input = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  // Before -i: input seeking jumps to the nearest keyframe at once instead of decoding up to it.
  if (plan.start !== undefined && plan.start > 0) input.push('-ss', String(plan.start));

  const vc = plan.videoCodec;
  const rate = AUDIO_RATE[plan.audioCodec];
  // With video, audio takes ~10 % of a total bitrate, at most its default; audio-only takes all of it.
  const audioBits =
    rate &&
    (plan.bitrate === undefined ? rate[0] : vc ? clamp(Math.round(plan.bitrate * 0.1), rate[1], rate[0]) : clamp(plan.bitrate, rate[1], rate[2]));

  const audio = `0:a:${plan.audioStream ?? 0}?`;
  const output = vc ? ['-map', '0:v:0?', '-map', audio] : ['-map', audio, '-vn'];
  output.push('-sn', '-dn'); // no subtitles or data streams in a live stream
  if (vc) {
    output.push(...VIDEO[vc]);
    if (vc !== 'copy') {
      if (plan.bitrate === undefined) output.push(...VIDEO_QUALITY[vc]);
      else {
        const v = Math.max(100_000, plan.bitrate - (audioBits ?? 0));
        output.push('-b:v', String(v), '-maxrate', String(v), '-bufsize', String(2 * v));
      }
      output.push(...videoLimitArgs(plan, source));
    }
  }
  output.push(...AUDIO[plan.audioCodec]);
  // LAME encodes at most two channels.
  const channels = plan.channels ?? (plan.audioCodec === 'mp3' ? 2 : undefined);
  if (channels !== undefined) output.push('-ac', String(channels));
  if (plan.sampleRate !== undefined) output.push('-ar', String(plan.sampleRate));
  if (plan.bitDepth !== undefined) output.push(...(SAMPLE_FORMAT[plan.audioCodec]?.[plan.bitDepth] ?? []));
  if (audioBits !== undefined) output.push('-b:a', String(audioBits));
  if (plan.container === 'mp4') {
    // Fragmented MP4 can be written to a pipe: moov first, then self-contained fragments.
    output.push('-movflags', 'frag_keyframe+empty_moov+default_base_moof');
    // Apple players take HEVC in MP4 only as hvc1; ffmpeg writes hev1, re-encoded or copied.
    if (vc === 'hevc' || (vc === 'copy' && source?.videoCodec === 'hevc')) output.push('-tag:v', 'hvc1');
  }
  output.push('-f', CONTAINERS[plan.container].format);
  return { input, output };
}
