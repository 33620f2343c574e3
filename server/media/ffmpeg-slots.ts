// One cap on the ffmpeg processes the media routes run at once (live transcodes, HLS runs,
// thumbnails, subtitle extraction), so no number of requests can start more encoders than the
// machine can carry. A live stream or HLS run that finds the cap full is refused at once (the
// player retries); short jobs (a thumbnail, a subtitle) wait their turn, for a while.
import { availableParallelism } from 'node:os';

export interface FfmpegSlot {
  /** Gives the slot back; calling it again does nothing. */
  release(): void;
}

export interface FfmpegSlots {
  readonly max: number;
  /** A new cap (the owner's settings): running ffmpegs go on; past the cap none starts until enough end. */
  setMax(max: number): void;
  inUse(): number;
  /** A slot now, or undefined when all are taken. */
  tryTake(): FfmpegSlot | undefined;
  /** A slot when one frees up (first come, first served), or undefined after `waitMs` (none: no limit) or on abort. */
  take(waitMs?: number, signal?: AbortSignal): Promise<FfmpegSlot | undefined>;
}

/**
 * The default cap: one encoder per core, at least two (one stream and one thumbnail). Measured by
 * the transcode bench (test/bench/transcode.ts): an HEVC 1080p → H.264 transcode with a Chromecast's
 * settings takes about one core (1.05 real-time streams per core by CPU time, 2026-12-05).
 */
export function defaultMaxProcesses(): number {
  return Math.max(2, availableParallelism());
}

export function createFfmpegSlots(max = defaultMaxProcesses()): FfmpegSlots {
  let used = 0;
  const waiting: ((slot: FfmpegSlot) => void)[] = [];
  const slot = (): FfmpegSlot => {
    used++;
    let held = true;
    return {
      release() {
        if (!held) return;
        held = false;
        used--;
        const next = waiting.shift();
        if (next && used < max) next(slot());
        else if (next) waiting.unshift(next);
      },
    };
  };
  return {
    get max() {
      return max;
    },
    setMax(n) {
      max = n;
      while (used < max && waiting.length > 0) waiting.shift()!(slot());
    },
    inUse: () => used,
    tryTake: () => (used < max && waiting.length === 0 ? slot() : undefined),
    take(waitMs, signal) {
      if (used < max && waiting.length === 0) return Promise.resolve(slot());
      return new Promise((resolve) => {
        const give = (s: FfmpegSlot) => (clearTimeout(timer), signal?.removeEventListener('abort', leave), resolve(s));
        const leave = () => {
          clearTimeout(timer);
          const i = waiting.indexOf(give);
          if (i >= 0) waiting.splice(i, 1);
          resolve(undefined);
        };
        const timer = waitMs === undefined ? undefined : setTimeout(leave, waitMs);
        signal?.addEventListener('abort', leave, { once: true });
        waiting.push(give);
      });
    },
  };
}
