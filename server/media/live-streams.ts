// Live transcodes by URL: fetches of one signed URL (same item, target and start) share one
// ffmpeg while it can still give a newcomer its first byte; past that, each gets its own, up to
// `perUrl` of them, then 429. Every ffmpeg takes a slot of the global cap (ffmpeg-slots.ts);
// when none is free the answer is 503. Both say when to try again (Retry-After).
import type { ServerResponse } from 'node:http';
import type { Logger } from '../util/log.js';
import type { FfmpegSlots } from './ffmpeg-slots.js';
import { replyError } from './reply.js';
import { LiveTranscode, type LiveOptions, type TranscodeJob } from './transcode.js';

export interface LiveStreamsOptions extends LiveOptions {
  slots: FfmpegSlots;
  /** ffmpeg processes one URL may run at once (default 2). */
  perUrl?: number;
  log: Logger;
}

export interface LiveStreams {
  /** Serves `res` from a running transcode of `key` or a new one made from `job`; `job.onExit` is
   *  called at once when the job is not used (shared or refused). */
  serve(res: ServerResponse, key: string, job: TranscodeJob, owner?: StreamOwner): void;
}

/** Whose player asked (its device cookie), and how many ffmpegs of its own it may run at once. */
export interface StreamOwner {
  key: string;
  max: number;
}

const RETRY_AFTER_SECONDS = 5;

function refuse(res: ServerResponse, status: 429 | 503, message: string): void {
  res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  replyError(res, status, message);
}

export function createLiveStreams(o: LiveStreamsOptions): LiveStreams {
  const perUrl = o.perUrl ?? 2;
  const byKey = new Map<string, Set<LiveTranscode>>();
  const byOwner = new Map<string, number>();
  return {
    serve(res, key, job, owner) {
      const running = byKey.get(key) ?? new Set<LiveTranscode>();
      const shared = [...running].find((t) => t.joinable);
      if (shared || running.size >= perUrl) job.onExit?.();
      if (shared) {
        o.log.debug('transcode shared', { label: job.label, readers: shared.readerCount + 1 });
        return shared.add(res);
      }
      if (running.size >= perUrl) {
        o.log.warn('transcode refused', { label: job.label, reason: `${perUrl} already running for this URL` });
        return refuse(res, 429, `too many streams of this URL (${perUrl} running)`);
      }
      const own = owner ? (byOwner.get(owner.key) ?? 0) : 0;
      if (owner && own >= owner.max) {
        job.onExit?.();
        o.log.warn('transcode refused', { label: job.label, reason: `${owner.key} runs ${own} (the cap)` });
        return refuse(res, 429, `you have ${own} transcode${own === 1 ? '' : 's'} running (your cap is ${owner.max})`);
      }
      const slot = o.slots.tryTake(job.cost);
      if (!slot) {
        job.onExit?.();
        o.log.warn('transcode refused', { label: job.label, reason: `all ${o.slots.max} ffmpeg slots busy` });
        return refuse(res, 503, `the server is transcoding all it can (${o.slots.max} at once)`);
      }
      const t = new LiveTranscode(job, o);
      running.add(t);
      byKey.set(key, running);
      if (owner) byOwner.set(owner.key, own + 1);
      void t.gone.then(() => {
        slot.release();
        if (owner) {
          const n = (byOwner.get(owner.key) ?? 1) - 1;
          if (n > 0) byOwner.set(owner.key, n);
          else byOwner.delete(owner.key);
        }
        running.delete(t);
        if (running.size === 0 && byKey.get(key) === running) byKey.delete(key);
      });
      t.add(res);
    },
  };
}
