// Clock sync as the reference client does it (@sendspin/sendspin-js 3.2.1 dist/core/time-sync-manager.js):
// a burst of 8 client/time probes, one in flight at a time, every 10 s; of a burst, the 3 with the
// shortest round trip, and of those the median offset, goes into the filter (time-filter.ts).
import { TimeFilter } from './time-filter.js';

const BURST_SIZE = 8;
const BURST_INTERVAL_MS = 10_000;
const PROBE_TIMEOUT_MS = 2000;
const ROBUST_SELECTION_COUNT = 3;

interface Sample {
  measurement: number;
  maxError: number;
  t4: number;
  rtt: number;
}

export class TimeSync {
  readonly filter = new TimeFilter();
  private inFlight: number | null = null;
  private sent = 0;
  private samples: Sample[] = [];
  private burstTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private active = false;

  constructor(
    private readonly send: (clientTransmitted: number) => void,
    private readonly nowUs: () => number,
    /** After each burst that updated the filter. */
    private readonly onSynced: () => void = () => {},
  ) {}

  start(): void {
    this.stop();
    this.burst();
    const schedule = () => {
      this.burstTimer = setTimeout(() => {
        this.burst();
        schedule();
      }, BURST_INTERVAL_MS);
    };
    schedule();
  }

  stop(): void {
    if (this.burstTimer) clearTimeout(this.burstTimer);
    this.burstTimer = null;
    this.abort();
  }

  /** A server/time answer. */
  onServerTime(p: { client_transmitted: number; server_received: number; server_transmitted: number }): void {
    if (!this.active || this.inFlight === null || p.client_transmitted !== this.inFlight) return;
    const t4 = this.nowUs();
    const t1 = p.client_transmitted;
    const measurement = (p.server_received - t1 + (p.server_transmitted - t4)) / 2;
    const rtt = Math.max(0, t4 - t1 - (p.server_transmitted - p.server_received));
    this.samples.push({ measurement, maxError: Math.max(1000, rtt / 2), t4, rtt });
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.inFlight = null;
    this.next();
  }

  private burst(): void {
    if (this.active) return;
    this.active = true;
    this.sent = 0;
    this.samples = [];
    this.next();
  }

  private next(): void {
    if (!this.active || this.inFlight !== null) return;
    if (this.sent >= BURST_SIZE) return this.finish();
    const t1 = this.nowUs();
    this.inFlight = t1;
    this.sent++;
    this.probeTimer = setTimeout(() => this.abort(), PROBE_TIMEOUT_MS);
    this.send(t1);
  }

  private finish(): void {
    const best = [...this.samples].sort((a, b) => a.rtt - b.rtt).slice(0, ROBUST_SELECTION_COUNT).sort((a, b) => a.measurement - b.measurement);
    const pick = best[Math.floor(best.length / 2)];
    this.abort();
    if (pick) {
      this.filter.update(pick.measurement, pick.maxError, pick.t4);
      this.onSynced();
    }
  }

  private abort(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.active = false;
    this.inFlight = null;
    this.samples = [];
  }
}
