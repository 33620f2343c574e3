// ffmpeg arguments for one HLS run: the plan's encode (transcode-args.ts) started at a segment's
// time, cut into MPEG-TS segments on the forced keyframes, numbered from that segment, with
// timestamps that continue the item's timeline (segment n starts at n × segment length whichever
// run made it), written as <dir>/<n>.ts (temp file, then renamed: a file that exists is whole).
import { join } from 'node:path';
import { buildTranscodeArgs, KEYFRAME_SECONDS, type FfmpegArgs, type SourceHints } from './transcode-args.js';
import type { TranscodePlan } from './transcode-params.js';

/** Segments are cut on the keyframes transcode-args forces, so they are as long as that interval. */
export const HLS_SEGMENT_SECONDS = KEYFRAME_SECONDS;

export function buildHlsArgs(plan: TranscodePlan, opts: { startSegment: number; dir: string; source?: SourceHints }): FfmpegArgs & { playlist: string } {
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
  return { input, output, playlist: join(opts.dir, 'ffmpeg.m3u8') };
}
