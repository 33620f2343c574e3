// Retrying a lost connection: after 0.5 s, 1 s, 2 s, 4 s ... (each wait capped by what is left of
// the window) until an attempt succeeds or `windowMs` has passed since the loss. A Chromecast
// that rebooted is back within ~30 s; one that was unplugged is not, and then we say so.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  firstDelayMs: number;
  windowMs: number;
  signal: AbortSignal;
  onAttemptFailed?(err: Error, attempt: number): void;
}

/** Resolves with the first successful attempt; rejects with the last error, or an AbortError. */
export async function retryWithBackoff<T>(attempt: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const start = Date.now();
  let delay = opts.firstDelayMs;
  for (let n = 1; ; n++) {
    await sleep(delay, undefined, { signal: opts.signal });
    try {
      return await attempt();
    } catch (err) {
      opts.signal.throwIfAborted();
      opts.onAttemptFailed?.(err as Error, n);
      const left = opts.windowMs - (Date.now() - start);
      if (left <= 0) throw err;
      delay = Math.min(delay * 2, left);
    }
  }
}
