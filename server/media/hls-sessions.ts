// HLS streams by key (one per signed URL): made on a first request, the least recently used
// closed past `maxStreams`, all closed when the process exits. One stream is hls-stream.ts.
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { createFfmpegSlots } from './ffmpeg-slots.js';
import { sweepStaleDirs } from './hls-dirs.js';
import { HlsStream } from './hls-stream.js';
import type { HlsEvents, HlsOptions, HlsStreamSpec, SegmentResult } from './hls-types.js';

export { sweepStaleDirs } from './hls-dirs.js';
export { wholeInit } from './hls-stream.js';
export { INIT_SEGMENT, type HlsEvents, type HlsOptions, type HlsStreamSpec, type SegmentResult } from './hls-types.js';

export interface HlsManager {
  readonly events: EventEmitter<HlsEvents>;
  /** The stream for `spec.key`, made with `spec` (called only if there is none) when needed. */
  segment(key: string, n: number, create: () => Promise<HlsStreamSpec | SegmentResult>, signal: AbortSignal): Promise<SegmentResult>;
  /** Live streams right now. */
  size(): number;
  closeAll(): void;
}

export function createHlsManager(o: HlsOptions): HlsManager {
  const opts = { ffmpegPath: o.ffmpegPath, log: o.log, idleMs: o.idleMs ?? 60_000, tmpRoot: o.tmpRoot ?? tmpdir(), aheadSegments: Math.max(2, o.aheadSegments ?? 60), keepBehindSegments: Math.max(1, o.keepBehindSegments ?? 60), slots: o.slots ?? createFfmpegSlots() };
  const maxStreams = o.maxStreams ?? 8;
  const events = new EventEmitter<HlsEvents>();
  const streams = new Map<string, HlsStream>();
  const pending = new Map<string, Promise<HlsStream | SegmentResult>>();
  const swept = sweepStaleDirs(opts.tmpRoot);
  if (swept.length) opts.log.info('removed stale hls dirs', { count: swept.length });
  const onExit = () => closeAll('exit');
  process.on('exit', onExit);

  function closeAll(why = 'shutdown'): void {
    for (const s of [...streams.values()]) s.close(why);
    process.off('exit', onExit);
  }

  async function open(key: string, create: () => Promise<HlsStreamSpec | SegmentResult>): Promise<HlsStream | SegmentResult> {
    const spec = await create();
    if (!('key' in spec)) return spec;
    if (streams.size >= maxStreams) [...streams.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0]?.close('too many streams');
    const s = new HlsStream(spec, opts, events, () => streams.get(key) === s && streams.delete(key));
    streams.set(key, s);
    return s;
  }

  return {
    events,
    size: () => streams.size,
    closeAll: () => closeAll(),
    async segment(key, n, create, signal) {
      let s: HlsStream | SegmentResult | undefined = streams.get(key);
      if (!s) {
        // Two first requests at once make one stream.
        let p = pending.get(key);
        if (!p) {
          p = open(key, create).finally(() => pending.delete(key));
          pending.set(key, p);
        }
        s = await p;
      }
      if (!(s instanceof HlsStream)) return s;
      return s.segment(n, signal);
    },
  };
}
