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
});
