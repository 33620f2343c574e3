// The reference client's clock filter, ported line for line from @sendspin/sendspin-js 3.2.1
// dist/core/time-filter.js (SendspinTimeFilter, itself a port of aiosendspin's): a 2-D Kalman
// filter over [offset, drift] between the client's clock and the server's, both in µs.

const ADAPTIVE_FORGETTING_CUTOFF = 2.0;

export class TimeFilter {
  private lastUpdate = 0;
  private count = 0;
  private offset = 0;
  private drift = 0;
  private offsetCovariance = Infinity;
  private offsetDriftCovariance = 0;
  private driftCovariance = 0;
  private useDrift = false;
  private current = { lastUpdate: 0, offset: 0, drift: 0 };
  private readonly offsetProcessVariance: number;
  private readonly driftProcessVariance: number;
  private readonly forgetVarianceFactor: number;
  private readonly driftSignificanceSquared: number;

  // SendspinCore constructs it as new SendspinTimeFilter(0, 1.1, 2.0, 1e-12) (dist/core/core.js).
  constructor(offsetProcessStdDev = 0, forgetFactor = 1.1, driftSignificance = 2.0, driftProcessStdDev = 1e-12) {
    this.offsetProcessVariance = offsetProcessStdDev ** 2;
    this.driftProcessVariance = driftProcessStdDev ** 2;
    this.forgetVarianceFactor = forgetFactor ** 2;
    this.driftSignificanceSquared = driftSignificance ** 2;
  }

  get synchronized(): boolean {
    return this.count >= 1 && Number.isFinite(this.offsetCovariance);
  }

  get errorUs(): number {
    return Math.round(Math.sqrt(this.offsetCovariance));
  }

  get offsetUs(): number {
    return this.offset;
  }

  /** measurement = ((T2−T1)+(T3−T4))/2, maxError = half the round trip, timeAdded = T4 (client µs). */
  update(measurement: number, maxError: number, timeAdded: number): void {
    if (timeAdded <= this.lastUpdate) return;
    const dt = timeAdded - this.lastUpdate;
    this.lastUpdate = timeAdded;
    const measurementVariance = maxError * maxError;
    if (this.count <= 0) {
      this.count += 1;
      this.offset = measurement;
      this.offsetCovariance = measurementVariance;
      this.drift = 0;
      this.current = { lastUpdate: this.lastUpdate, offset: this.offset, drift: 0 };
      this.useDrift = false;
      return;
    }
    if (this.count === 1) {
      this.count += 1;
      this.drift = (measurement - this.offset) / dt;
      this.offset = measurement;
      this.driftCovariance = (this.offsetCovariance + measurementVariance) / (dt * dt);
      this.offsetCovariance = measurementVariance;
      this.current = { lastUpdate: this.lastUpdate, offset: this.offset, drift: this.drift };
      this.useDrift = false;
      return;
    }
    const offset = this.offset + this.drift * dt;
    let newDriftCovariance = this.driftCovariance + dt * this.driftProcessVariance;
    let newOffsetDriftCovariance = this.offsetDriftCovariance + this.driftCovariance * dt;
    let newOffsetCovariance = this.offsetCovariance + 2 * this.offsetDriftCovariance * dt + this.driftCovariance * dt * dt + dt * this.offsetProcessVariance;
    const residual = measurement - offset;
    if (this.count < 100) this.count += 1;
    else if (Math.abs(residual) > maxError * ADAPTIVE_FORGETTING_CUTOFF) {
      newDriftCovariance *= this.forgetVarianceFactor;
      newOffsetDriftCovariance *= this.forgetVarianceFactor;
      newOffsetCovariance *= this.forgetVarianceFactor;
    }
    const uncertainty = 1 / (newOffsetCovariance + measurementVariance);
    const offsetGain = newOffsetCovariance * uncertainty;
    const driftGain = newOffsetDriftCovariance * uncertainty;
    this.offset = offset + offsetGain * residual;
    this.drift += driftGain * residual;
    this.driftCovariance = newDriftCovariance - driftGain * newOffsetDriftCovariance;
    this.offsetDriftCovariance = newOffsetDriftCovariance - driftGain * newOffsetCovariance;
    this.offsetCovariance = newOffsetCovariance - offsetGain * newOffsetCovariance;
    this.useDrift = this.drift * this.drift > this.driftSignificanceSquared * this.driftCovariance;
    this.current = { lastUpdate: this.lastUpdate, offset: this.offset, drift: this.drift };
  }

  /** Client µs → server µs (computeServerTime). */
  serverTime(clientUs: number): number {
    const drift = this.useDrift ? this.current.drift : 0;
    return clientUs + Math.round(this.current.offset + drift * (clientUs - this.current.lastUpdate));
  }

  /** Server µs → client µs (computeClientTime). */
  clientTime(serverUs: number): number {
    const drift = this.useDrift ? this.current.drift : 0;
    return Math.round((serverUs - this.current.offset + drift * this.current.lastUpdate) / (1 + drift));
  }

  reset(): void {
    this.count = 0;
    this.lastUpdate = 0;
    this.offset = 0;
    this.drift = 0;
    this.offsetCovariance = Infinity;
    this.offsetDriftCovariance = 0;
    this.driftCovariance = 0;
    this.useDrift = false;
    this.current = { lastUpdate: 0, offset: 0, drift: 0 };
  }
}
