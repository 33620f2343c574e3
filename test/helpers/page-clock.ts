// Maps a page's performance.now() to this process's performance.now(): both count
// CLOCK_MONOTONIC (Chromium's TimeTicks, Node's uv_hrtime) from different origins. The offset is
// taken from the round trip with the smallest duration, so it is off by at most half of that
// (about 0.6–1 ms here); the result says how much.
import type { Page } from 'playwright-core';

export interface PageClock {
  /** page performance.now() − this process's performance.now(), ms. */
  offsetMs: number;
  /** Half the shortest round trip: the most the offset can be off by. */
  uncertaintyMs: number;
}

export async function pageClock(page: Page, rounds = 30): Promise<PageClock> {
  let best = { rtt: Infinity, offsetMs: 0 };
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const p = await page.evaluate(() => performance.now());
    const t1 = performance.now();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offsetMs: p - (t0 + t1) / 2 };
  }
  return { offsetMs: best.offsetMs, uncertaintyMs: best.rtt / 2 };
}
