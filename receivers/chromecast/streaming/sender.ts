// The sending end of one Cast Streaming session (Open Screen cast/streaming/sender.cc,
// sender_report_builder.cc, chromium-cheri/openscreen @d15ba4f): frames encrypted and packetized,
// sent as they come (the caller paces them in real time) while the media in flight stays within
// targetDelay/2 + RTT/2 (Sender::GetMaxInFlightMediaDuration), packets the receiver NACKs sent
// again, and a Sender Report every 500 ms (kRtcpReportInterval), the first before any frame
// (Sender::EnqueueFrame wants one first), each stamped with its send time and the RTP timestamp
// captured at that time (Sender::GetRtcpPacketForImmediateSend): the receiver plays a frame at
// SR time + RTP delta + target delay, so SRs on the group's clock put Cast playout on it.
import { createSocket, type Socket } from 'node:dgram';
import type { NtpClock } from '../../airplay/raop/clock.js';
import type { FrameCrypto } from './crypto.js';
import { ALL_PACKETS, buildSenderReport, parseRtcp, type CastFeedback } from './rtcp.js';
import { expand, isRtp, OPUS_PAYLOAD_TYPE, packetizeFrame } from './rtp.js';

/**
 * Between Sender Reports. Open Screen's sender uses 500 ms (kRtcpReportInterval); its receiver
 * takes every SR into its minimum filter of the clock offset (receiver.cc OnReceivedRtcpPacket →
 * clock_drift_smoother.cc, no rate limit; it answers each with an RTCP packet), so more SRs give it
 * more chances at the smallest one-way delay. With 20 ms of uniform jitter on a leg the filter's
 * estimate creeps up between low samples (30 s time constant): a model of it (the filter plus the
 * output's 1 ms deadband, 2,000 runs of 30 s) gives a worst case per 30 s of median 1.7 / p99 3.9 ms
 * at 100 ms, 1.2 / 2.5 ms at 50 ms and 0.8 / 1.4 ms at 20 ms. Measured in group-cast.test.ts
 * (CAST_SR_MS, 2026-12-05, load average ~6, the receivers' own stalls kept out of their filter):
 * Cast–Cast max 0.77, 0.92, 0.96 ms at 20 ms; 1.4–4.1 ms at 100 ms; 5.7/6.6 ms at 500 ms (load
 * 17–55). An SR is 28 bytes (50 a second, ~1.4 kB/s, and as many RTCP answers back); that a
 * device's firmware takes 50 a second is unverified.
 */
export const REPORT_MS = 20;
/** Frames kept for resends: past this they are late anyway. */
const KEEP_FRAMES = 250;
/** A packet NACKed again this soon after its resend is not sent again (the resend may be on its way). */
const RESEND_GAP_MS = 20;

export interface CastStreamSenderOptions {
  host: string;
  port: number;
  ssrc: number;
  receiverSsrc: number;
  crypto: FrameCrypto;
  targetDelayMs: number;
  rtpTimebase: number;
  clock: NtpClock;
  /** The RTP timestamp captured at sender time `ns` (the stream's timeline). */
  rtpAtCapture(ns: bigint): number;
  /** False: no Sender Reports (a test switch that shows playout then is not on our clock). */
  senderReports?: boolean;
  /** Between Sender Reports (default REPORT_MS). */
  reportIntervalMs?: number;
  onError(e: Error): void;
  warn?(line: string): void;
}

interface SentFrame {
  id: number;
  rtp: number;
  packets: Buffer[];
  resentAt: number[];
  sent: boolean;
  acked: boolean;
}

export class CastStreamSender {
  packetsSent = 0;
  octetsSent = 0;
  resends = 0;
  rttMs = 0;
  private readonly socket: Socket = createSocket('udp4');
  private readonly frames = new Map<number, SentFrame>();
  private readonly queue: SentFrame[] = [];
  private nextId = 0;
  private sequence = Math.floor(Math.random() * 0x10000);
  private checkpoint = -1;
  private readonly reports = new Map<number, bigint>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: CastStreamSenderOptions) {
    this.socket.on('message', (b) => this.onPacket(b));
    this.socket.on('error', (e) => o.onError(new Error(`Cast Streaming socket: ${e.message}`)));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(0, () => resolve());
    });
    this.report();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.socket.close();
  }

  /** Encrypts, packetizes and sends (or queues, past the in-flight limit) one encoded frame. */
  sendFrame(data: Buffer, rtp: number): void {
    if (this.closed) return;
    const id = this.nextId++;
    const enc = this.o.crypto.apply(id, data);
    const packets = packetizeFrame({ frameId: id, rtpTimestamp: rtp, data: enc, ...(id === 0 ? { newPlayoutDelayMs: this.o.targetDelayMs } : {}) }, this.o.ssrc, OPUS_PAYLOAD_TYPE, this.sequence);
    this.sequence = (this.sequence + packets.length) & 0xffff;
    const f: SentFrame = { id, rtp, packets, resentAt: packets.map(() => 0), sent: false, acked: false };
    this.frames.set(id, f);
    this.frames.delete(id - KEEP_FRAMES);
    this.queue.push(f);
    this.pump();
  }

  /** Sends queued frames while the media in flight is within targetDelay/2 + RTT/2. */
  private pump(): void {
    const limit = ((this.o.targetDelayMs / 2 + this.rttMs / 2) / 1000) * this.o.rtpTimebase;
    while (this.queue.length) {
      const f = this.queue[0]!;
      const oldest = this.frames.get(this.checkpoint + 1);
      if (oldest && oldest.sent && f.rtp - oldest.rtp > limit) return;
      this.queue.shift();
      f.sent = true;
      for (const p of f.packets) this.send(p);
      this.packetsSent += f.packets.length;
      this.octetsSent += f.packets.reduce((a, p) => a + p.length - 19, 0);
    }
  }

  private send(b: Buffer): void {
    if (!this.closed) this.socket.send(b, this.o.port, this.o.host);
  }

  private report(): void {
    if (this.closed) return;
    if (this.o.senderReports !== false) {
      const now = this.o.clock.nowNs();
      const sr = buildSenderReport({ ssrc: this.o.ssrc, ntpNs: now, rtpTimestamp: this.o.rtpAtCapture(now), packetCount: this.packetsSent, octetCount: this.octetsSent });
      this.reports.set(sr.readUInt32BE(10), now);
      if (this.reports.size > 20) this.reports.delete(this.reports.keys().next().value!);
      this.send(sr);
    }
    this.timer = setTimeout(() => this.report(), this.o.reportIntervalMs ?? REPORT_MS);
  }

  private onPacket(b: Buffer): void {
    if (isRtp(b)) return;
    let items;
    try {
      items = parseRtcp(b);
    } catch (e) {
      // Garbage on the port is not the session's end (compound_rtcp_parser.cc drops the packet).
      this.o.warn?.(`RTCP from the device ignored: ${(e as Error).message}`);
      return;
    }
    for (const it of items) {
      if (it.type === 'rr' && it.reportBlock && it.receiverSsrc === this.o.receiverSsrc) {
        const sentAt = this.reports.get(it.reportBlock.lastReportId);
        if (sentAt !== undefined) this.rttMs = Math.max(0, Number(this.o.clock.nowNs() - sentAt) / 1e6 - (it.reportBlock.delaySinceLastReport / 65536) * 1000);
      } else if (it.type === 'feedback' && it.feedback.senderSsrc === this.o.ssrc) this.onFeedback(it.feedback);
    }
  }

  private onFeedback(fb: CastFeedback): void {
    const near = Math.max(this.checkpoint, 0);
    const checkpoint = expand(fb.checkpointFrameId8, near, 8);
    if (checkpoint < this.nextId && checkpoint > this.checkpoint) this.checkpoint = checkpoint;
    for (const a of fb.acks) {
      const f = this.frames.get(expand(a, near, 8));
      if (f) f.acked = true;
    }
    const now = performance.now();
    for (const n of fb.nacks) {
      const f = this.frames.get(expand(n.frameId8, near + 1, 8));
      if (!f || !f.sent || f.id <= this.checkpoint) continue;
      const ids = n.packetId === ALL_PACKETS ? f.packets.map((_, i) => i) : [n.packetId];
      for (const i of ids) {
        if (i >= f.packets.length || now - f.resentAt[i]! < RESEND_GAP_MS) continue;
        f.resentAt[i] = now;
        this.resends++;
        this.send(f.packets[i]!);
      }
    }
    this.pump();
  }
}
