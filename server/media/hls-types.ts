// The shapes HLS streams are made and answered with (hls-stream.ts, hls-sessions.ts, hls-route.ts).
import type { Logger } from '../util/log.js';
import type { FfmpegSlots } from './ffmpeg-slots.js';
import type { SourceHints } from './transcode-args.js';
import type { TranscodePlan } from './transcode-params.js';

export interface HlsOptions {
  ffmpegPath: string;
  log: Logger;
  /** A stream with no request for this long is closed (default 60 s). */
  idleMs?: number;
  /** Where the per-stream temp dirs go (default the OS temp dir). */
  tmpRoot?: string;
  /** Streams at once; opening one more closes the least recently used (default 8). */
  maxStreams?: number;
  /** Segments ffmpeg may run ahead of the player before it is paused (default 60: two minutes). */
  aheadSegments?: number;
  /** Segments kept behind the one last asked for (default 60); older ones are deleted (a seek back there restarts ffmpeg). */
  keepBehindSegments?: number;
  /** The cap on ffmpeg processes shared with the other media routes; a run that finds it full is answered 503. */
  slots?: FfmpegSlots;
}

export interface HlsStreamSpec {
  key: string;
  plan: TranscodePlan;
  duration: number;
  /** A copied picture's segment start times (its keyframes); absent when the video is re-encoded (fixed lengths). */
  starts?: number[];
  /** All the copied picture's keyframe times (a run's seek must land on its segment's one). */
  keyframes?: number[];
  /** Fragmented MP4 segments (<n>.m4s) after an init segment, for a copied HEVC picture (needs `starts`). */
  fmp4?: boolean;
  /** ffmpeg's input (a /proc fd path) and its closer, called once the stream is gone. */
  inputPath: string;
  release: () => void;
  source?: SourceHints;
  label: string;
}

export type SegmentResult = { ok: true; path: string } | { ok: false; status: 403 | 404 | 500 | 503; reason: string };

export interface HlsEvents {
  start: [{ key: string; pid: number; startSegment: number; dir: string }];
  exit: [{ key: string; pid: number; code: number | null; signal: NodeJS.Signals | null }];
  closed: [{ key: string; dir: string }];
  paused: [{ key: string; made: number; asked: number }];
  resumed: [{ key: string; made: number; asked: number }];
}

/** The segment number a caller asks for to get the fMP4 init segment. */
export const INIT_SEGMENT = -1;
