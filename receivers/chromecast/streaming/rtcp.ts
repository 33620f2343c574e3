// Cast Streaming RTCP, as Open Screen builds and parses it (cast/streaming/rtp_defines.h,
// rtcp_common.cc, sender_report_builder.cc, compound_rtcp_builder.cc, compound_rtcp_parser.cc):
// the sender's Sender Report (PT 200); the receiver's compound packet of a Receiver Report
// (PT 201, with one report block after an SR), an Extended Report with a Receiver Reference Time
// block (PT 207, block type 4) and the Cast Feedback (PT 206, FMT 15: "CAST", checkpoint frame,
// loss fields, playout delay, then "CST2" and an ACK bit vector from checkpoint + 2).
import { readNtp, writeNtp } from '../../airplay/raop/clock.js';

export const PT_SR = 200;
export const PT_RR = 201;
export const PT_PSFB = 206;
export const PT_XR = 207;
const FMT_FEEDBACK = 15;
const FMT_PLI = 1;
const CAST = 0x43415354;
const CST2 = 0x43535432;
/** A Cast Feedback loss field for every packet of a frame (rtp_defines.h kAllPacketsLost). */
export const ALL_PACKETS = 0xffff;

/** One RTCP packet's common header (rtcp_common.cc RtcpCommonHeader::AppendFields). */
function header(countOrFmt: number, pt: number, payloadBytes: number): Buffer {
  const h = Buffer.alloc(4);
  h[0] = 0x80 | (countOrFmt & 0x1f);
  h[1] = pt;
  h.writeUInt16BE(payloadBytes / 4, 2);
  return h;
}

export interface SenderReport {
  ssrc: number;
  /** Sender time (NTP ns): the reference time of the report. */
  ntpNs: bigint;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

/** sender_report_builder.cc BuildPacket (no report block). */
export function buildSenderReport(r: SenderReport): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32BE(r.ssrc >>> 0, 0);
  writeNtp(b, 4, r.ntpNs);
  b.writeUInt32BE(r.rtpTimestamp >>> 0, 12);
  b.writeUInt32BE(r.packetCount >>> 0, 16);
  b.writeUInt32BE(r.octetCount >>> 0, 20);
  return Buffer.concat([header(0, PT_SR, 24), b]);
}

/** The report id of an SR: the middle 32 bits of its NTP timestamp (rtcp_common.h StatusReportId). */
export function reportIdOf(b: Buffer, ntpOffset: number): number {
  return ((b.readUInt16BE(ntpOffset + 2) << 16) | b.readUInt16BE(ntpOffset + 4)) >>> 0;
}

export interface ReportBlock {
  ssrc: number;
  fractionLost: number;
  cumulativeLost: number;
  highestSequence: number;
  jitter: number;
  /** Middle 32 bits of the NTP time of the last SR, and the delay since it in 1/65536 s. */
  lastReportId: number;
  delaySinceLastReport: number;
}

export interface PacketNack {
  frameId8: number;
  /** ALL_PACKETS for the whole frame. */
  packetId: number;
}

export interface CastFeedback {
  receiverSsrc: number;
  senderSsrc: number;
  checkpointFrameId8: number;
  playoutDelayMs: number;
  nacks: PacketNack[];
  /** Frames received whole after the checkpoint (low 8 bits, each > checkpoint + 1). */
  acks: number[];
  feedbackCount: number;
}

export interface ReceiverRtcp {
  receiverSsrc: number;
  reportBlock?: ReportBlock;
  /** XR Receiver Reference Time (NTP ns of the receiver when sent). */
  referenceTimeNs: bigint;
  pictureLoss?: boolean;
  feedback: Omit<CastFeedback, 'receiverSsrc'>;
}

/** compound_rtcp_builder.cc BuildPacket: RR, XR RRTR, [PLI], Cast Feedback. */
export function buildReceiverRtcp(r: ReceiverRtcp): Buffer {
  const parts: Buffer[] = [];
  const rr = Buffer.alloc(4 + (r.reportBlock ? 24 : 0));
  rr.writeUInt32BE(r.receiverSsrc >>> 0, 0);
  if (r.reportBlock) {
    const k = r.reportBlock;
    rr.writeUInt32BE(k.ssrc >>> 0, 4);
    rr.writeUInt32BE((((k.fractionLost & 0xff) << 24) | (k.cumulativeLost & 0xffffff)) >>> 0, 8);
    rr.writeUInt32BE(k.highestSequence >>> 0, 12);
    rr.writeUInt32BE(k.jitter >>> 0, 16);
    rr.writeUInt32BE(k.lastReportId >>> 0, 20);
    rr.writeUInt32BE(k.delaySinceLastReport >>> 0, 24);
  }
  parts.push(header(r.reportBlock ? 1 : 0, PT_RR, rr.length), rr);
  const xr = Buffer.alloc(16);
  xr.writeUInt32BE(r.receiverSsrc >>> 0, 0);
  xr[4] = 4;
  xr.writeUInt16BE(2, 6);
  writeNtp(xr, 8, r.referenceTimeNs);
  parts.push(header(0, PT_XR, 16), xr);
  if (r.pictureLoss) {
    const pli = Buffer.alloc(8);
    pli.writeUInt32BE(r.receiverSsrc >>> 0, 0);
    pli.writeUInt32BE(r.feedback.senderSsrc >>> 0, 4);
    parts.push(header(FMT_PLI, PT_PSFB, 8), pli);
  }
  const fb = buildFeedback({ ...r.feedback, receiverSsrc: r.receiverSsrc });
  parts.push(header(FMT_FEEDBACK, PT_PSFB, fb.length), fb);
  return Buffer.concat(parts);
}

function buildFeedback(f: CastFeedback): Buffer {
  // Loss fields: a packet and a bit vector of the next 8 missing in the same frame (AppendCastFeedbackLossFields).
  const loss: number[][] = [];
  const nacks = [...f.nacks];
  while (nacks.length && loss.length < 255) {
    const first = nacks.shift()!;
    let bits = 0;
    while (first.packetId !== ALL_PACKETS && nacks.length && nacks[0]!.frameId8 === first.frameId8 && nacks[0]!.packetId !== ALL_PACKETS) {
      const shift = nacks[0]!.packetId - first.packetId - 1;
      if (shift < 0 || shift >= 8) break;
      bits |= 1 << shift;
      nacks.shift();
    }
    loss.push([first.frameId8, first.packetId, bits]);
  }
  // ACK bit vector: 2 octets, then 4 at a time (AppendCastFeedbackAckFields).
  const offsets = f.acks.map((a) => (a - f.checkpointFrameId8 - 2 + 256) % 256).filter((o) => o < 254 * 8);
  const need = offsets.length ? Math.floor(Math.max(...offsets) / 8) + 1 : 2;
  const octets = need <= 2 ? 2 : 2 + Math.ceil((need - 2) / 4) * 4;
  const b = Buffer.alloc(16 + 4 * loss.length + 6 + octets);
  b.writeUInt32BE(f.receiverSsrc >>> 0, 0);
  b.writeUInt32BE(f.senderSsrc >>> 0, 4);
  b.writeUInt32BE(CAST, 8);
  b[12] = f.checkpointFrameId8 & 0xff;
  b[13] = loss.length;
  b.writeUInt16BE(f.playoutDelayMs, 14);
  loss.forEach(([frame, packet, bits], i) => {
    b[16 + 4 * i] = frame!;
    b.writeUInt16BE(packet!, 17 + 4 * i);
    b[19 + 4 * i] = bits!;
  });
  const a = 16 + 4 * loss.length;
  b.writeUInt32BE(CST2, a);
  b[a + 4] = f.feedbackCount & 0xff;
  b[a + 5] = octets;
  for (const o of offsets) b[a + 6 + (o >> 3)]! |= 1 << (o & 7);
  return b;
}

export type RtcpItem =
  | { type: 'sr'; report: SenderReport; reportId: number }
  | { type: 'rr'; receiverSsrc: number; reportBlock?: ReportBlock }
  | { type: 'rrtr'; ssrc: number; ntpNs: bigint }
  | { type: 'pli'; receiverSsrc: number; senderSsrc: number }
  | { type: 'feedback'; feedback: CastFeedback };

/**
 * Parses a compound packet into what Cast Streaming uses; throws a readable Error on anything
 * malformed (compound_rtcp_parser.cc refuses the whole packet then). Unknown packet types and XR
 * blocks are skipped, as there.
 */
export function parseRtcp(b: Buffer): RtcpItem[] {
  const out: RtcpItem[] = [];
  let at = 0;
  if (b.length < 8) throw new Error(`RTCP packet of ${b.length} bytes is too short`);
  while (at < b.length) {
    if (b.length - at < 4) throw new Error('RTCP: truncated header');
    if (b[at]! >> 6 !== 2) throw new Error(`RTCP: version ${b[at]! >> 6}, not 2`);
    if (b[at]! & 0x20) throw new Error('RTCP: padding is not used by Cast Streaming');
    const count = b[at]! & 0x1f;
    const pt = b[at + 1]!;
    const len = b.readUInt16BE(at + 2) * 4;
    const p = b.subarray(at + 4, at + 4 + len);
    if (p.length < len) throw new Error(`RTCP: packet type ${pt} says ${len} bytes, ${p.length} left`);
    at += 4 + len;
    if (pt === PT_SR) {
      if (len < 24 + count * 24) throw new Error('RTCP: Sender Report too short');
      out.push({ type: 'sr', report: { ssrc: p.readUInt32BE(0), ntpNs: readNtp(p, 4), rtpTimestamp: p.readUInt32BE(12), packetCount: p.readUInt32BE(16), octetCount: p.readUInt32BE(20) }, reportId: reportIdOf(p, 4) });
    } else if (pt === PT_RR) {
      if (len < 4 + count * 24) throw new Error('RTCP: Receiver Report too short');
      out.push({ type: 'rr', receiverSsrc: p.readUInt32BE(0), ...(count ? { reportBlock: parseBlock(p, 4) } : {}) });
    } else if (pt === PT_XR) {
      if (len < 4) throw new Error('RTCP: Extended Report too short');
      for (let x = 4; x < len; ) {
        if (len - x < 4) throw new Error('RTCP: truncated XR block');
        const blockLen = 4 + p.readUInt16BE(x + 2) * 4;
        if (len - x < blockLen) throw new Error('RTCP: XR block overruns its packet');
        if (p[x] === 4) {
          if (blockLen !== 12) throw new Error('RTCP: Receiver Reference Time block of the wrong size');
          out.push({ type: 'rrtr', ssrc: p.readUInt32BE(0), ntpNs: readNtp(p, x + 4) });
        }
        x += blockLen;
      }
    } else if (pt === PT_PSFB && count === FMT_PLI) {
      if (len < 8) throw new Error('RTCP: Picture Loss Indicator too short');
      out.push({ type: 'pli', receiverSsrc: p.readUInt32BE(0), senderSsrc: p.readUInt32BE(4) });
    } else if (pt === PT_PSFB && count === FMT_FEEDBACK) {
      out.push({ type: 'feedback', feedback: parseFeedback(p) });
    }
  }
  return out;
}

function parseBlock(p: Buffer, o: number): ReportBlock {
  const lost = p.readUInt32BE(o + 4);
  return { ssrc: p.readUInt32BE(o), fractionLost: lost >>> 24, cumulativeLost: lost & 0xffffff, highestSequence: p.readUInt32BE(o + 8), jitter: p.readUInt32BE(o + 12), lastReportId: p.readUInt32BE(o + 16), delaySinceLastReport: p.readUInt32BE(o + 20) };
}

function parseFeedback(p: Buffer): CastFeedback {
  if (p.length < 16 || p.readUInt32BE(8) !== CAST) throw new Error('RTCP: Cast Feedback without its CAST header');
  const losses = p[13]!;
  if (p.length < 16 + 4 * losses) throw new Error('RTCP: Cast Feedback loss fields overrun the packet');
  const nacks: PacketNack[] = [];
  for (let i = 0; i < losses; i++) {
    const o = 16 + 4 * i;
    const frameId8 = p[o]!;
    const packetId = p.readUInt16BE(o + 1);
    const bits = p[o + 3]!;
    nacks.push({ frameId8, packetId });
    if (packetId !== ALL_PACKETS) for (let s = 0; s < 8; s++) if (bits & (1 << s)) nacks.push({ frameId8, packetId: packetId + s + 1 });
  }
  const checkpointFrameId8 = p[12]!;
  const acks: number[] = [];
  let feedbackCount = 0;
  const a = 16 + 4 * losses;
  if (p.length >= a + 6 && p.readUInt32BE(a) === CST2) {
    feedbackCount = p[a + 4]!;
    const octets = p[a + 5]!;
    if (p.length < a + 6 + octets) throw new Error('RTCP: CST2 bit vector overruns the packet');
    for (let i = 0; i < octets * 8; i++) if (p[a + 6 + (i >> 3)]! & (1 << (i & 7))) acks.push((checkpointFrameId8 + 2 + i) & 0xff);
  }
  return { receiverSsrc: p.readUInt32BE(0), senderSsrc: p.readUInt32BE(4), checkpointFrameId8, playoutDelayMs: p.readUInt16BE(14), nacks, acks, feedbackCount };
}
