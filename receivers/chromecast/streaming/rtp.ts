// Cast Streaming RTP: a 12-byte RTP header, then the Cast header [K|R|ext count][frame id low 8]
// [packet id u16][max packet id u16][ref frame id 8, when R] and Cast extensions (the Adaptive
// Latency one: type 1, 2 bytes of new playout delay in ms). Facts from Open Screen
// cast/streaming/rtp_defines.h, rtp_packet_parser.cc and rtp_packetizer.cc (chromium-cheri/openscreen @d15ba4f).

/** rtp_defines.h kRtpPacketMinValidSize. */
export const RTP_MIN_SIZE = 18;
/** rtp_defines.h kRtpRequiredFirstByte: version 2, no padding, extension or CSRCs. */
const FIRST_BYTE = 0x80;
/** rtp_defines.h kAllPacketsLost: never a packet id. */
export const ALL_PACKETS_LOST = 0xffff;
/** rtp_defines.h kAdaptiveLatencyRtpExtensionType, kNumExtensionDataSizeFieldBits. */
const ADAPTIVE_LATENCY = 1;
const EXT_SIZE_BITS = 10;
/** Payload types a receiver takes (rtp_defines.cc IsRtpPayloadType); 127 is the "AndroidTV hack" for audio. */
const PAYLOAD_TYPES = new Set([96, 97, 98, 99, 100, 101, 102, 103, 104, 127]);
/** Opus in Cast RTP as senders use it with devices (OwnTone, Chrome's mirroring: the AndroidTV hack). */
export const OPUS_PAYLOAD_TYPE = 127;
/** Ethernet MTU less IPv4 and UDP headers (rtp_defines.h kMaxRtpPacketSizeForIpv4UdpOnEthernet). */
export const MAX_RTP_PACKET = 1500 - 20 - 8;

export interface CastRtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  rtpTimestamp: number;
  ssrc: number;
  keyFrame: boolean;
  /** Low 8 bits of the frame id (expand with expandFrameId). */
  frameId8: number;
  packetId: number;
  maxPacketId: number;
  /** Low 8 bits of the referenced frame, when the packet carries one. */
  refFrameId8?: number;
  /** Adaptive Latency extension: the new target playout delay (ms). */
  newPlayoutDelayMs?: number;
  payload: Buffer;
}

export function isRtpPayloadType(pt: number): boolean {
  return PAYLOAD_TYPES.has(pt);
}

/** Parses one packet; undefined for anything rtp_packet_parser.cc would refuse (the SSRC is the caller's check). */
export function parseCastRtp(b: Buffer): CastRtpPacket | undefined {
  if (b.length < RTP_MIN_SIZE || b[0] !== FIRST_BYTE) return undefined;
  const payloadType = b[1]! & 0x7f;
  if (!isRtpPayloadType(payloadType)) return undefined;
  const byte12 = b[12]!;
  const packetId = b.readUInt16BE(14);
  const maxPacketId = b.readUInt16BE(16);
  if (maxPacketId === ALL_PACKETS_LOST || packetId > maxPacketId) return undefined;
  let at = 18;
  let refFrameId8: number | undefined;
  if (byte12 & 0x40) {
    if (at >= b.length) return undefined;
    refFrameId8 = b[at++]!;
  }
  let newPlayoutDelayMs: number | undefined;
  for (let i = 0; i < (byte12 & 0x3f); i++) {
    if (b.length - at < 2) return undefined;
    const typeAndSize = b.readUInt16BE(at);
    at += 2;
    const size = typeAndSize & ((1 << EXT_SIZE_BITS) - 1);
    if (b.length - at < size) return undefined;
    if (typeAndSize >> EXT_SIZE_BITS === ADAPTIVE_LATENCY) {
      if (size !== 2) return undefined;
      newPlayoutDelayMs = b.readUInt16BE(at);
    }
    at += size;
  }
  return {
    payloadType, marker: (b[1]! & 0x80) !== 0, sequence: b.readUInt16BE(2), rtpTimestamp: b.readUInt32BE(4), ssrc: b.readUInt32BE(8),
    keyFrame: (byte12 & 0x80) !== 0, frameId8: b[13]!, packetId, maxPacketId,
    ...(refFrameId8 !== undefined ? { refFrameId8 } : {}), ...(newPlayoutDelayMs !== undefined ? { newPlayoutDelayMs } : {}),
    payload: b.subarray(at),
  };
}

export interface FrameToPacketize {
  frameId: number;
  rtpTimestamp: number;
  /** The (encrypted) frame. */
  data: Buffer;
  /** Sent in packet 0 when the target playout delay changes (rtp_packetizer.cc). */
  newPlayoutDelayMs?: number;
}

/**
 * The packets of one frame (rtp_packetizer.cc GeneratePacket): every audio frame is a key frame
 * referencing itself, M on the last packet, sequence numbers from `nextSequence` on.
 */
export function packetizeFrame(f: FrameToPacketize, ssrc: number, payloadType: number, nextSequence: number, maxPacket = MAX_RTP_PACKET): Buffer[] {
  const ext = f.newPlayoutDelayMs !== undefined;
  const room0 = maxPacket - 12 - 7 - (ext ? 4 : 0);
  const room = maxPacket - 12 - 7;
  const count = f.data.length <= room0 ? 1 : 1 + Math.ceil((f.data.length - room0) / room);
  const out: Buffer[] = [];
  let at = 0;
  for (let id = 0; id < count; id++) {
    const withExt = ext && id === 0;
    const take = Math.min(f.data.length - at, id === 0 ? room0 : room);
    const p = Buffer.alloc(12 + 7 + (withExt ? 4 : 0) + take);
    p[0] = FIRST_BYTE;
    p[1] = (payloadType & 0x7f) | (id === count - 1 ? 0x80 : 0);
    p.writeUInt16BE((nextSequence + id) & 0xffff, 2);
    p.writeUInt32BE(f.rtpTimestamp >>> 0, 4);
    p.writeUInt32BE(ssrc >>> 0, 8);
    p[12] = 0x80 | 0x40 | (withExt ? 1 : 0);
    p[13] = f.frameId & 0xff;
    p.writeUInt16BE(id, 14);
    p.writeUInt16BE(count - 1, 16);
    p[18] = f.frameId & 0xff;
    let h = 19;
    if (withExt) {
      p.writeUInt16BE((ADAPTIVE_LATENCY << EXT_SIZE_BITS) | 2, h);
      p.writeUInt16BE(f.newPlayoutDelayMs!, h + 2);
      h += 4;
    }
    f.data.copy(p, h, at, at + take);
    at += take;
    out.push(p);
  }
  return out;
}

/**
 * The full id of a truncated one (8 bits here, 32 for RTP timestamps) nearest to `near`
 * (expanded_value_base.h ExpandedValueBase::Expand).
 */
export function expand(truncated: number, near: number, bits: number): number {
  const span = 2 ** bits;
  const base = near - (near % span + span) % span;
  let best = base + truncated;
  for (const c of [best - span, best + span]) if (Math.abs(c - near) < Math.abs(best - near)) best = c;
  return best;
}

/** One UDP port carries both (packet_util.cc InspectPacketForRouting): RTP when byte 0 is 0x80 with a media payload type. */
export function isRtp(b: Buffer): boolean {
  return b.length >= RTP_MIN_SIZE && b[0] === FIRST_BYTE && isRtpPayloadType(b[1]! & 0x7f);
}
