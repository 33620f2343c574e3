// One cap on the ffmpeg processes the media routes run at once (live transcodes, HLS runs,
// thumbnails, subtitle extraction), so no number of requests can start more encoders than the
// machine can carry. A live stream or HLS run that finds the cap full is refused at once (the
// player retries); short jobs (a thumbnail, a subtitle) wait their turn, for a while. The cap counts
// video encoders: an ffmpeg that encodes no video costs a fraction of one (AUDIO_ONLY_COST), so a
// house of speakers playing transcoded albums does not use up what a TV's film needs.
import { availableParallelism } from 'node:os';

export interface FfmpegSlot {
  /** Gives the slot back; calling it again does nothing. */
  release(): void;
}

export interface FfmpegSlots {
  /** The cap, in video transcodes (an audio-only one counts AUDIO_ONLY_COST). */
  readonly max: number;
  /** A new cap (the owner's settings): running ffmpegs go on; past the cap none starts until enough end. */
  setMax(max: number): void;
  /** What the running ones cost together. */
  inUse(): number;
  /** A slot now, or undefined when the cap cannot take `cost` (default 1) more. */
  tryTake(cost?: number): FfmpegSlot | undefined;
  /** A slot when one frees up (first come, first served), or undefined after `waitMs` (none: no limit) or on abort. */
  take(waitMs?: number, signal?: AbortSignal, cost?: number): Promise<FfmpegSlot | undefined>;
}

/**
 * What an ffmpeg that encodes no video (audio only, or video copied) costs against the cap. The
 * transcode bench (test/bench/transcode.ts, 2026-12-05, 2 cores) measured FLAC → AAC at 45–62 real-time
 * streams per core by CPU time against 1.5–1.7 for HEVC 1080p → H.264: about a thirtieth; an eighth
 * leaves room for heavier audio (many channels, high rates) and the source's demuxing. A power of two,
 * so sums of costs stay exact.
 */
export const AUDIO_ONLY_COST = 1 / 8;

/** The cost of a transcode that encodes video `videoCodec` (undefined: no video; 'copy': copied). */
export function transcodeCost(videoCodec: string | undefined): number {
  return videoCodec === undefined || videoCodec === 'copy' ? AUDIO_ONLY_COST : 1;
}

/** Video transcodes per core the default cap allows. */
export const VIDEO_TRANSCODES_PER_CORE = 1.5;

/**
 * The default cap: one and a half video encoders per core, at least two (one stream and one
 * thumbnail). Measured by the transcode bench (test/bench/transcode.ts, `--only transcode`,
 * 2026-12-05, 2 cores): HEVC 1080p → H.264 with a Chromecast's settings, three at once kept real
 * time for 60 s (slowest 1.15×), four did not (0.83×); 1.69 real-time streams per core by CPU time.
 * Heavier sources (4K, HDR tone-mapped) cost more: the owner lowers the cap in Settings.
 */
export function defaultMaxProcesses(): number {
  return Math.max(2, Math.floor(availableParallelism() * VIDEO_TRANSCODES_PER_CORE));
}

export function createFfmpegSlots(max = defaultMaxProcesses()): FfmpegSlots {
  let used = 0;
  const waiting: { cost: number; give: (slot: FfmpegSlot) => void }[] = [];
  const fits = (cost: number) => used + cost <= max;
  const slot = (cost: number): FfmpegSlot => {
    used += cost;
    let held = true;
    return {
      release() {
        if (!held) return;
        held = false;
        used -= cost;
        grant();
      },
    };
  };
  // First come, first served: a waiter that does not fit yet holds back cheaper ones behind it.
  const grant = () => {
    while (waiting.length > 0 && fits(waiting[0]!.cost)) {
      const next = waiting.shift()!;
      next.give(slot(next.cost));
    }
  };
  return {
    get max() {
      return max;
    },
    setMax(n) {
      max = n;
      grant();
    },
    inUse: () => used,
    tryTake: (cost = 1) => (fits(cost) && waiting.length === 0 ? slot(cost) : undefined),
    take(waitMs, signal, cost = 1) {
      if (fits(cost) && waiting.length === 0) return Promise.resolve(slot(cost));
      return new Promise((resolve) => {
        const give = (s: FfmpegSlot) => (clearTimeout(timer), signal?.removeEventListener('abort', leave), resolve(s));
        const entry = { cost, give };
        const leave = () => {
          clearTimeout(timer);
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          resolve(undefined);
          grant(); // those behind it may fit now
        };
        const timer = waitMs === undefined ? undefined : setTimeout(leave, waitMs);
        signal?.addEventListener('abort', leave, { once: true });
        waiting.push(entry);
      });
    },
  };
}
