// One NTP-based timeline for a RAOP stream: RTP timestamp (frames at 44.1 kHz, modulo 2^32) ↔
// sender time in NTP nanoseconds. Every speaker of a group gets the same timeline, so they play
// each frame at the same instant (docs/protocols.md §5 "Multi-room sync").
import { performance } from 'node:perf_hooks';

export const SAMPLE_RATE = 44100;
export const FRAMES_PER_PACKET = 352;
const NTP_UNIX_OFFSET_S = 2208988800n;
const NS_PER_S = 1_000_000_000n;

/** Sender time: NTP epoch, nanoseconds; monotonic (wall clock read once, then performance.now). */
export class NtpClock {
  private readonly baseNs: bigint;
  private readonly basePerf: number;

  constructor() {
    this.basePerf = performance.now();
    this.baseNs = (BigInt(Date.now()) * 1_000_000n) + NTP_UNIX_OFFSET_S * NS_PER_S;
  }

  nowNs(): bigint {
    return this.baseNs + BigInt(Math.round((performance.now() - this.basePerf) * 1e6));
  }
}

/** Writes a 64-bit NTP timestamp (32.32 fixed point seconds) at `offset`. */
export function writeNtp(buf: Buffer, offset: number, ns: bigint): void {
  const secs = ns / NS_PER_S;
  const frac = ((ns % NS_PER_S) << 32n) / NS_PER_S;
  buf.writeUInt32BE(Number(secs & 0xffffffffn), offset);
  buf.writeUInt32BE(Number(frac), offset + 4);
}

export function readNtp(buf: Buffer, offset: number): bigint {
  const secs = BigInt(buf.readUInt32BE(offset));
  const frac = BigInt(buf.readUInt32BE(offset + 4));
  return secs * NS_PER_S + ((frac * NS_PER_S) >> 32n);
}

/** RTP frame `rtp0` is at sender time `ns0`; frames advance at SAMPLE_RATE. */
export class Timeline {
  constructor(
    readonly rtp0: number,
    readonly ns0: bigint,
  ) {}

  /** Frames since rtp0 at sender time `ns` (may be negative, not wrapped). */
  framesAt(ns: bigint): number {
    return Number(((ns - this.ns0) * BigInt(SAMPLE_RATE)) / NS_PER_S);
  }

  /** The RTP timestamp due at `ns`, wrapped to 32 bits. */
  rtpAt(ns: bigint): number {
    return wrap32(this.rtp0 + this.framesAt(ns));
  }

  /** Sender time of a frame counted from rtp0 (unwrapped frame count). */
  nsAtFrames(frames: number): bigint {
    return this.ns0 + (BigInt(frames) * NS_PER_S) / BigInt(SAMPLE_RATE);
  }
}

export function wrap32(n: number): number {
  return ((n % 0x1_0000_0000) + 0x1_0000_0000) % 0x1_0000_0000;
}
