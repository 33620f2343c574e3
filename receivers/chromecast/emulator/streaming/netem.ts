// What the network does to the Cast Streaming leg, for tests: a fixed one-way delay, uniform
// jitter on top (packets may then arrive out of order, as on Wi-Fi) and random loss. Applied to
// what the device receives.
import { performance } from 'node:perf_hooks';

export interface NetemKnobs {
  delayMs?: number;
  jitterMs?: number;
  /** 0..1 */
  loss?: number;
}

/**
 * `deliver` gets each packet with the performance.now() ms at which it arrives on the emulated
 * network: a timer fires late by its own lag (≥ 1 ms, more on a loaded machine), which no network
 * adds, so the arrival time is the one the delay asked for, not the time the timer ran. `tag`
 * (what the reader knew of the read) goes with it.
 */
export function netem<T>(k: NetemKnobs, deliver: (b: Buffer, arrivedMs: number, tag: T) => void): (b: Buffer, tag: T) => void {
  const delay = k.delayMs ?? 0;
  const jitter = k.jitterMs ?? 0;
  const loss = k.loss ?? 0;
  if (!delay && !jitter && !loss) return (b, tag) => deliver(b, performance.now(), tag);
  return (b, tag) => {
    if (loss && Math.random() < loss) return;
    const now = performance.now();
    const ms = delay + Math.random() * jitter;
    // Loss alone delays nothing: a timer (≥ 1 ms, more on a loaded machine) would make every
    // Sender Report look late to the clock filter.
    if (ms <= 0) deliver(b, now, tag);
    else setTimeout(() => deliver(b, now + ms, tag), ms);
  };
}
