// The edge's refusal lines, bounded: a flood of refused requests (a scanner, a rebinding page that
// retries) must not fill the disk with log lines. A burst is logged line by line, then about one
// line a second; the rest are counted and said in one line ("requests refused … count=N") at most
// every `flushMs`.
import type { Fields, Logger } from '../util/log.js';

export interface RefusalLogOptions {
  burst?: number;
  perSecond?: number;
  flushMs?: number;
  now?: () => number;
}

export type RefusalLog = (msg: string, fields: Fields) => void;

export function refusalLog(log: Logger, o: RefusalLogOptions = {}): RefusalLog {
  const burst = o.burst ?? 30;
  const perSecond = o.perSecond ?? 1;
  const flushMs = o.flushMs ?? 10_000;
  const now = o.now ?? Date.now;
  let tokens = burst;
  let at = now();
  let unlogged = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (unlogged === 0) return;
    log.info('requests refused (not logged one by one)', { count: unlogged });
    unlogged = 0;
  };
  return (msg, fields) => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - at) / 1000) * perSecond);
    at = t;
    if (tokens >= 1) {
      tokens--;
      return log.info(msg, fields);
    }
    unlogged++;
    timer ??= setTimeout(flush, flushMs).unref();
  };
}
