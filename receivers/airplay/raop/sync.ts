// Sync packets to the receiver's control port, once a second: "frame rtpNow is at our NTP time
// ntpNs; play it `latency` frames later". The first after RECORD/FLUSH has the extension bit
// (0x90). seq=7 makes shairport-sync add its fixed 11025-frame offset to the latency the packet
// states (rtp.c@3.3.8 "flags == 7"), as iTunes/AirPort Express do.
import { writeNtp } from './clock.js';

export const SYNC_PT = 0x54;
/** shairport-sync adds this when the packet's flags (seq) are 7. */
export const FIXED_LATENCY_OFFSET = 11025;

export interface SyncInfo {
  first: boolean;
  /** RTP timestamp due now. */
  rtpNow: number;
  ntpNs: bigint;
  /** Total latency in frames, as the receiver will apply it (≥ FIXED_LATENCY_OFFSET). */
  latency: number;
}

export function syncPacket(s: SyncInfo): Buffer {
  const b = Buffer.alloc(20);
  b[0] = s.first ? 0x90 : 0x80;
  b[1] = 0x80 | SYNC_PT;
  b.writeUInt16BE(7, 2);
  b.writeUInt32BE((s.rtpNow - (s.latency - FIXED_LATENCY_OFFSET)) >>> 0, 4);
  writeNtp(b, 8, s.ntpNs);
  b.writeUInt32BE(s.rtpNow >>> 0, 16);
  return b;
}
