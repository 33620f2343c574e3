// The software Chromecast's estimate of the sender's clock, as Open Screen's ClockDriftSmoother
// (cast/streaming/clock_drift_smoother.cc): an IIR of weight elapsed / (elapsed + 30 s), reset to
// any sample below the estimate.
import { describe, expect, it } from 'vitest';
import { ClockDriftSmoother } from '../../../../receivers/chromecast/emulator/streaming/clock.js';

describe('ClockDriftSmoother', () => {
  it('starts at the first sample, moves toward later ones by elapsed / (elapsed + τ), and drops to any lower one', () => {
    const s = new ClockDriftSmoother();
    expect(s.current).toBeUndefined();
    s.update(0, 10e6);
    expect(s.current).toBe(10e6);
    // 0.5 s later a sample 20 ms: weight 0.5 / 30.5.
    s.update(0.5e6, 20e6);
    expect(s.current).toBeCloseTo(10e6 + (10e6 * 0.5) / 30.5, 0);
    s.update(1e6, 3e6);
    expect(s.current).toBe(3e6);
  });

  it('under 0–20 ms of uniform jitter with a report every 100 ms, stays within a few ms of the smallest delay', () => {
    const s = new ClockDriftSmoother();
    let rnd = 1;
    const next = (): number => ((rnd = (rnd * 48271) % 0x7fffffff) / 0x7fffffff);
    let worst = 0;
    for (let i = 0; i < 3000; i++) {
      s.update(i * 1e5, next() * 20e6);
      if (i > 20) worst = Math.max(worst, s.current!);
    }
    expect(worst).toBeLessThan(4e6);
  });

  // The figures behind the sender's SR interval (streaming/sender.ts REPORT_MS) and the group test's
  // Cast–Cast bound: how far above the smallest delay the estimate sits, by SR interval.
  const excess = (intervalMs: number, seconds = 300): { median: number; p99: number } => {
    const s = new ClockDriftSmoother();
    let rnd = 7;
    const next = (): number => ((rnd = (rnd * 48271) % 0x7fffffff) / 0x7fffffff);
    const xs: number[] = [];
    for (let t = 0; t < seconds * 1000; t += intervalMs) {
      s.update(t * 1000, next() * 20e6);
      if (t > 5000) xs.push(s.current! / 1e6);
    }
    xs.sort((a, b) => a - b);
    return { median: xs[xs.length >> 1]!, p99: xs[Math.floor(xs.length * 0.99)]! };
  };

  it('under 20 ms of jitter sits ~1 ms above the smallest delay with an SR every 100 ms, ~2 ms (up to ~4.5) every 500 ms', () => {
    const at100 = excess(100);
    const at500 = excess(500);
    expect(at100.median).toBeGreaterThan(0.5);
    expect(at100.median).toBeLessThan(1.5);
    expect(at100.p99).toBeLessThan(3);
    expect(at500.median).toBeGreaterThan(1.2);
    expect(at500.p99).toBeGreaterThan(3.5);
  });

  it('on a receiver clock 50 ppm fast with no jitter, lags the rising offset by slope × 30 s: plays 1.5 ms early', () => {
    const s = new ClockDriftSmoother();
    let lag = 0;
    for (let t = 0; t <= 300_000; t += 100) {
      const trueNs = t * 50; // 50 ppm of t ms, in ns
      s.update(t * 1000, trueNs);
      lag = (trueNs - s.current!) / 1e6;
    }
    expect(lag).toBeGreaterThan(1.4);
    expect(lag).toBeLessThan(1.55);
  });
});
