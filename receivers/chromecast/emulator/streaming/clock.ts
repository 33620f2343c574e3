// The software Chromecast's own clock for Cast Streaming, skewed by a knob (a device's crystal is
// off by tens of ppm), and Open Screen's estimate of the sender's clock from Sender Reports
// (cast/streaming/clock_drift_smoother.cc ClockDriftSmoother, kDefaultTimeConstant 30 s).
import { performance } from 'node:perf_hooks';

const NTP_UNIX_OFFSET_NS = 2_208_988_800n * 1_000_000_000n;

/** Local time: NTP-epoch ns (set from the wall clock once), running `skewPpm` fast. Also its µs since start, for the output. */
export class LocalClock {
  private readonly perf0 = performance.now();
  private readonly base = BigInt(Date.now()) * 1_000_000n + NTP_UNIX_OFFSET_NS;
  private readonly rate: number;

  constructor(skewPpm = 0) {
    this.rate = 1 + skewPpm / 1e6;
  }

  /** µs since this clock started, on this clock, at performance.now() `perfMs` (default now). */
  nowUs(perfMs = performance.now()): number {
    return (perfMs - this.perf0) * 1000 * this.rate;
  }

  nowNs(perfMs?: number): bigint {
    return this.base + BigInt(Math.round(this.nowUs(perfMs) * 1000));
  }

  /** µs since start of a local NTP time. */
  usOf(ns: bigint): number {
    return Number(ns - this.base) / 1000;
  }
}

/**
 * ClockDriftSmoother::Update: an IIR filter of the measured offset (weight elapsed / (elapsed +
 * 30 s)), reset to any sample below the estimate: a minimum filter, since a report can only be
 * late, never early. The offset is arrival − the SR's reference time, with no transit correction
 * (receiver.cc OnReceivedRtcpPacket: the Cast spec gives the receiver no way to know it), so
 * playout is late by the smallest one-way delay.
 */
export class ClockDriftSmoother {
  private estimateNs: number | undefined;
  private lastUs = 0;

  constructor(private readonly timeConstantUs = 30e6) {}

  get current(): number | undefined {
    return this.estimateNs;
  }

  update(nowUs: number, measuredNs: number): void {
    if (this.estimateNs === undefined) {
      this.estimateNs = measuredNs;
      this.lastUs = nowUs;
      return;
    }
    const elapsed = Math.max(0, nowUs - this.lastUs);
    this.lastUs = nowUs;
    const w = elapsed / (elapsed + this.timeConstantUs);
    this.estimateNs = w * measuredNs + (1 - w) * this.estimateNs;
    if (measuredNs < this.estimateNs) this.estimateNs = measuredNs;
  }
}
