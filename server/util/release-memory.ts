// Full garbage collections once the server goes quiet after work that left a lot of garbage (a
// library scan, a dropped DLNA tree). An idle server allocates almost nothing, so V8 would not
// collect on its own and the RSS stayed at the scan's high-water mark: 195 MiB idle after a
// 100,000-file first scan, 133 MiB after one collection. gc() is exposed at run time (the server
// is started without --expose-gc).
// The first collection (QUIET_MS after the work) frees the garbage but keeps the young generation
// at the size the work grew it to (two 16 MiB semispaces, ~30 MiB resident) and old-space pages
// half empty: V8 gives those back only in a collection that sees a low allocation rate, which it
// judges over the last 5 s (heap.cc ReduceNewSpaceSize, gc-tracer's kThroughputTimeFrameMs). Its
// own memory reducer did that 30–40 s after a 100k first scan (165 → 117 MiB); a second
// collection SETTLE_MS after the work does it then.
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const QUIET_MS = 200;
/** Past V8's 5 s allocation-rate window, so the collection sees the quiet. */
const SETTLE_MS = 6_000;
let gc: (() => void) | undefined;
let timer: NodeJS.Timeout | undefined;
let settleTimer: NodeJS.Timeout | undefined;

/** 'settled' after the second collection (logged: the benches measure a server past it). */
export const memoryEvents = new EventEmitter<{ settled: [] }>();

/** A full collection now. */
export function releaseMemory(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** A full collection QUIET_MS after the last call (calls in a burst make one), and another
 *  SETTLE_MS after it, which gives back the young generation and compacts. */
export function releaseMemorySoon(): void {
  clearTimeout(timer);
  clearTimeout(settleTimer);
  timer = setTimeout(() => {
    releaseMemory();
    settleTimer = setTimeout(() => (releaseMemory(), memoryEvents.emit('settled')), SETTLE_MS);
    settleTimer.unref();
  }, QUIET_MS);
  timer.unref();
}
