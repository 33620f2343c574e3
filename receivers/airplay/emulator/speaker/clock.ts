// The speaker's view of the sender's clock, as shairport-sync builds it (rtp.c@3.3.8): timing
// requests (0x80 0xD2) to the sender's timing port, each answer (0x80 0xD3) giving one estimate of
// (sender NTP time − our monotonic time) with its round trip; the estimate with the shortest round
// trip of the last few wins. Sync packets (0x80 0xD4) tie an RTP timestamp to the sender's time
// and state the latency: frame F plays at sync.ntp + (F − sync.rtp + latency) / 44100 on the
// sender's clock, where latency = rtp − "rtp less latency" (+ the fixed offset when the packet's
// flags are 7, as iTunes and our sender send them).
import { readNtp, SAMPLE_RATE, writeNtp } from '../../raop/clock.js';

const NS_PER_S = 1_000_000_000n;
const WINDOW = 8;

/** Local monotonic time, ns (CLOCK_MONOTONIC: comparable across processes of one machine). */
export const monoNs = (): bigint => process.hrtime.bigint();

export interface SyncPoint {
  rtp: number;
  senderNs: bigint;
  latency: number;
}

export class SenderClock {
  private readonly sent: bigint[] = [];
  private samples: { offset: bigint; rtt: bigint }[] = [];
  private best: { offset: bigint; rtt: bigint } | undefined;
  sync: SyncPoint | undefined;

  constructor(private readonly fixedLatencyOffset: number) {}

  /** A timing request carrying our send time (shairport-sync sends zeros; we can match on it). */
  request(): Buffer {
    const b = Buffer.alloc(32);
    b[0] = 0x80;
    b[1] = 0xd2;
    b.writeUInt16BE(7, 2);
    const t0 = monoNs();
    writeNtp(b, 24, t0);
    this.sent.push(t0);
    if (this.sent.length > WINDOW) this.sent.shift();
    return b;
  }

  /** An answer; false when it is not one (or matches no request of ours). */
  onTimingReply(b: Buffer, receivedNs: bigint): boolean {
    if (b.length < 32 || (b[1]! & 0x7f) !== 0x53) return false;
    const origin = readNtp(b, 8);
    // Our own time comes back as the origin; 1 ns of rounding through the 32.32 format.
    const t0 = origin === 0n ? this.sent.at(-1) : this.sent.find((t) => t - origin <= 2n && origin - t <= 2n);
    if (t0 === undefined) return false;
    const recv = readNtp(b, 16);
    const xmit = readNtp(b, 24);
    const rtt = receivedNs - t0 - (xmit - recv);
    if (rtt < 0n) return false;
    const offset = (recv - t0 + (xmit - receivedNs)) / 2n;
    this.samples.push({ offset, rtt });
    if (this.samples.length > WINDOW) this.samples.shift();
    this.best = this.samples.reduce((a, s) => (s.rtt < a.rtt ? s : a));
    return true;
  }

  /** sender NTP ns − local monotonic ns, from the best recent answer. */
  get offsetNs(): bigint | undefined {
    return this.best?.offset;
  }

  get rttNs(): bigint | undefined {
    return this.best?.rtt;
  }

  onSync(b: Buffer): SyncPoint | undefined {
    if (b.length < 20 || (b[1]! & 0x7f) !== 0x54) return undefined;
    const flags = b.readUInt16BE(2);
    const rtpLessLatency = b.readUInt32BE(4);
    const rtp = b.readUInt32BE(16);
    const latency = ((rtp - rtpLessLatency) >>> 0) + (flags === 7 ? this.fixedLatencyOffset : 0);
    this.sync = { rtp, senderNs: readNtp(b, 8), latency };
    return this.sync;
  }

  /** When frame `rtp` is due on the sender's clock (NTP ns), once a sync packet came. */
  senderNsOf(rtp: number): bigint | undefined {
    const s = this.sync;
    if (!s) return undefined;
    const frames = ((rtp - s.rtp) | 0) + s.latency;
    return s.senderNs + (BigInt(frames) * NS_PER_S) / BigInt(SAMPLE_RATE);
  }

  /** When frame `rtp` is due on our clock, once both a sync packet and a timing answer came. */
  localNsOf(rtp: number): { local: bigint; sender: bigint } | undefined {
    const sender = this.senderNsOf(rtp);
    const off = this.offsetNs;
    if (sender === undefined || off === undefined) return undefined;
    return { local: sender - off, sender };
  }
}
