// ffmpeg arguments for one HLS run: the plan's encode (transcode-args.ts) started at a segment's
// time, cut into MPEG-TS segments on the forced keyframes, numbered from that segment, with
// timestamps that continue the item's timeline (segment n starts at n × segment length whichever
// run made it), written as <dir>/<n>.ts (temp file, then renamed: a file that exists is whole).
// A copied picture is cut on its own keyframes (MPEG-TS for H.264, fMP4 with an init segment for HEVC).
import { join } from 'node:path';
import { buildTranscodeArgs, KEYFRAME_SECONDS, type FfmpegArgs, type SourceHints } from './transcode-args.js';
import type { TranscodePlan } from './transcode-params.js';

/** Segments are cut on the keyframes transcode-args forces, so they are as long as that interval. */
export const HLS_SEGMENT_SECONDS = KEYFRAME_SECONDS;

export function buildHlsArgs(plan: TranscodePlan, opts: { startSegment: number; dir: string; source?: SourceHints }): FfmpegArgs & { target: string } {
  if (plan.container !== 'hls') throw new Error('buildHlsArgs needs an hls plan');
  if (plan.videoCodec === 'copy') throw new Error('HLS re-encodes the video (its keyframes make the segments)');
  const start = opts.startSegment * HLS_SEGMENT_SECONDS;
  const { start: _ignored, ...rest } = plan;
  const base = buildTranscodeArgs(rest, opts.source);
  const output = base.output.slice(0, -2); // drop '-f hls': the HLS options go before it
  if (base.output.at(-1) !== 'hls') throw new Error('unexpected transcode arguments');
  // -ss before -i (accurate with re-encoding: the first frame is at `start`), then shift the output
  // back onto the item's timeline; no mux delay so a segment's first timestamp is its start.
  const input = [...base.input, ...(start > 0 ? ['-ss', String(start)] : [])];
  output.push(
    '-output_ts_offset', String(start), '-muxdelay', '0',
    '-f', 'hls', '-hls_time', String(HLS_SEGMENT_SECONDS), '-hls_list_size', '0', '-hls_playlist_type', 'vod',
    '-hls_segment_type', 'mpegts', '-hls_flags', 'temp_file', '-start_number', String(opts.startSegment),
    '-hls_segment_filename', join(opts.dir, '%d.ts'),
  );
  // ffmpeg's own playlist is not served (ours covers the whole item); it only has to go somewhere.
  return { input, output, target: join(opts.dir, 'ffmpeg.m3u8') };
}

/** The list ffmpeg's segment muxer appends a line to as each segment of a copy run is finished. */
export const COPY_LIST = 'list.csv';
// A keyframe time read back from ffprobe is rounded: cut at most this much before a listed time.
const CUT_SLACK = 0.05;

/**
 * A copied picture cannot be given keyframes, so its segments start on its own (`starts`, from
 * hls-keyframes.ts): seek to segment n's keyframe (a hair past it, so the demuxer does not pick the
 * one before), keep the source timestamps (-copyts: segment n starts at starts[n]), and cut exactly
 * at the following starts with the segment muxer. It writes <n>.ts in place, so completion comes
 * from its list file, not from the file existing.
 */
export function buildHlsCopyArgs(
  plan: TranscodePlan,
  opts: { startSegment: number; starts: number[]; dir: string; source?: SourceHints; /** list file name, one per run */ list?: string; /** all the source's keyframe times */ keyframes?: number[]; /** fMP4 segments: the run's init segment file name */ init?: string },
): FfmpegArgs & { target: string } {
  if (plan.container !== 'hls' || plan.videoCodec !== 'copy') throw new Error('buildHlsCopyArgs needs an hls plan with vc=copy');
  const n = opts.startSegment;
  const { start: _ignored, ...rest } = plan;
  const base = buildTranscodeArgs(rest, opts.source);
  if (base.output.at(-1) !== 'hls') throw new Error('unexpected transcode arguments');
  const output = base.output.slice(0, -2);
  const from = opts.starts[n] ?? 0;
  const input = [...base.input, ...(n > 0 ? ['-ss', seekTarget(from, opts.keyframes).toFixed(6)] : [])];
  const fmp4 = opts.init !== undefined;
  const offset = fmp4 ? FMP4_TS_OFFSET : 0;
  // Cut times after this run's first segment; a far sentinel so the last one is never cut (an empty list means "every 2 s").
  const cuts = [...opts.starts.slice(n + 1), 1e7].map((t) => (t + offset).toFixed(6));
  output.push('-copyts', '-muxdelay', '0');
  // HEVC goes into HLS only as fMP4 (Apple's HLS authoring spec), tagged hvc1; the header (ftyp+moov)
  // goes to its own file, the init segment, and each segment holds only moof+mdat. frag_discont
  // writes each run's first decode time as is (tfdt), no edit list and no shift to zero, so a run
  // started anywhere writes the same init segment and continues the same timeline (as Jellyfin's
  // `movflags=+frag_discont` with -copyts -avoid_negative_ts disabled). A constant offset keeps the
  // first decode times (B-frame delay, AAC priming) from going below zero, which tfdt cannot hold.
  if (fmp4) {
    output.push('-tag:v', 'hvc1', '-avoid_negative_ts', 'disabled', '-output_ts_offset', String(offset));
    output.push('-f', 'segment', '-segment_format', 'mp4', '-segment_format_options', `movflags=${FMP4_MOVFLAGS}:use_editlist=0:avoid_negative_ts=disabled`, '-segment_header_filename', join(opts.dir, opts.init!));
  } else output.push('-f', 'segment', '-segment_format', 'mpegts');
  output.push(
    '-segment_times', cuts.join(','), '-segment_time_delta', String(CUT_SLACK),
    '-segment_start_number', String(n), '-segment_list', join(opts.dir, opts.list ?? COPY_LIST), '-segment_list_type', 'csv',
  );
  return { input, output, target: join(opts.dir, fmp4 ? '%d.m4s' : '%d.ts') };
}

// ffmpeg's CLI seeks this much before -ss when a stream has B-frames (video_delay) and the format
// does not seek by presentation time (Matroska): 3/23 s (fftools, seek_timestamp).
const CLI_SEEK_BACK = 3 / 23;

/** An -ss that lands on the keyframe at `from`: a hair past it, plus what ffmpeg takes back for a
 *  stream with B-frames, unless the next keyframe comes sooner than that (then a hair past only). */
export function seekTarget(from: number, keyframes?: number[]): number {
  const next = keyframes?.find((k) => k > from + 0.001);
  return from + 0.001 + (next === undefined || next - from > CLI_SEEK_BACK + 0.01 ? CLI_SEEK_BACK : 0);
}

/** fMP4 segment timestamps are the source's plus this many seconds (see buildHlsCopyArgs). */
export const FMP4_TS_OFFSET = 2;
const FMP4_MOVFLAGS = '+frag_keyframe+empty_moov+default_base_moof+frag_discont+skip_sidx';
