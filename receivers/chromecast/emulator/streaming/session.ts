// The Cast Streaming receiver of the software Chromecast, as Open Screen's receiver implements it
// (cast/streaming/receiver.cc, receiver_session.cc, chromium-cheri/openscreen @d15ba4f): one UDP
// port for RTP and RTCP (packet_util.cc InspectPacketForRouting), frames decrypted
// (frame_crypto.cc) and Opus-decoded, packet 0 of every frame dropped until a Sender Report has
// come (Receiver::OnReceivedRtpPacket), each frame played at SR reference time + the smoothed clock
// offset + its RTP delta + the target delay (OnReceivedRtpPacket, ConsumeNextFrame), a compound
// RTCP packet (RR, XR RRTR, Cast Feedback) every 500 ms, every 30 ms while packets are missing, and
// at once on each SR (SendRtcp, kRtcpReportInterval, kNackFeedbackInterval). What it plays goes to a
// "DAC" in shairport-sync's stdout convention, each frame at its intended play time
// (receivers/shared/scheduled-output.ts), so the group tests read Cast and AirPlay outputs alike.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { ScheduledOutput } from '../../../shared/scheduled-output.js';
import { FrameCrypto } from '../../streaming/crypto.js';
import type { AcceptedAudio } from '../../streaming/messages.js';
import { OpusDecoder } from '../../streaming/opus.js';
import { buildReceiverRtcp, parseRtcp, type PacketNack, type SenderReport } from '../../streaming/rtcp.js';
import { ALL_PACKETS_LOST, expand, isRtp, parseCastRtp } from '../../streaming/rtp.js';
import { ClockDriftSmoother, LocalClock } from './clock.js';
import { netem, type NetemKnobs } from './netem.js';
import { ReadWatch } from './read-watch.js';

export interface StreamingKnobs extends NetemKnobs {
  /** The device clock (and its DAC) runs this many ppm fast (negative: slow). */
  skewPpm?: number;
  /** The device's output adds this much after the intended play time (an amplifier, a DSP). */
  outputLatencyMs?: number;
  /** Test knob: garbage bytes to the sender's port beside every RTCP packet. */
  rtcpGarbage?: boolean;
}

export interface StreamingSessionOptions {
  audio: AcceptedAudio;
  host: string;
  knobs: StreamingKnobs;
  out: NodeJS.WritableStream;
  gain: () => number;
  warn: (line: string) => void;
  ffmpegPath?: string;
}

/** kRtcpReportInterval, Receiver::kNackFeedbackInterval. */
const REPORT_MS = 500;
const NACK_MS = 30;
/**
 * How long before its play time the "DAC" takes a period (ScheduledOutput's lead): a device's audio
 * buffer, not shairport-sync's 1 s stdout lead. Open Screen's receiver renders each decoded frame
 * this far ahead: the smallest power-of-two number of samples holding at least 20 ms
 * (cast/standalone_receiver/sdl_audio_player.cc, approximate_lead_time_): 1024 at 44.1 kHz.
 * The rest of the target delay is the decoder's (a frame decoded later than this is dropped).
 */
export const OUTPUT_LEAD_MS = (1024 / 44100) * 1000;
/** The ANSWER waits at most this long for the decoder (then it goes: the sender's OFFER times out after 10 s). */
const DECODER_START_MS = 3000;
/** A Sender Report read this much later than the earliest is said (it moves the output by ≥ 0.3 ms). */
const SR_LATE_MS = 20;
/**
 * A Sender Report read after the event loop stood still this long has no trustworthy arrival time
 * (read-watch.ts): it is not a clock sample, as if lost (a device, stamping in its network stack,
 * never sees a stall of ours). 10 ms stamped late would move the output 0.04 ms: kept.
 */
const STALLED_READ_MS = 10;
/** Late drops (and late-read SRs) each given a warning line (then only counted). */
const LATE_WARNINGS = 200;
/** A frame still incomplete this close to its play time is given up (it could not be decoded in time). */
const GIVE_UP_MS = 250;

interface Frame {
  packets: (Buffer | undefined)[];
  received: number;
  rtp?: number;
  /** Local ns when it plays (estimated capture + target delay), set from packet 0. */
  playNs?: bigint;
}

export class StreamingSession {
  readonly receiverSsrc: number;
  readonly crypto: FrameCrypto;
  port = 0;
  framesPlayed = 0;
  framesDropped = 0;
  /** 44.1 kHz frames decoded after their play time (the output drops them). */
  samplesLate = 0;
  /** The least time (ms) a decoded frame had left before its play time (the decoder's margin; below OUTPUT_LEAD_MS it is dropped). */
  minMarginMs = Infinity;
  private lateWarnings = 0;
  private srWarnings = 0;
  private readonly socket: Socket;
  private readonly clock: LocalClock;
  private readonly smoother = new ClockDriftSmoother();
  private readonly output: ScheduledOutput;
  private readonly decoder: OpusDecoder<bigint>;
  private readonly frames = new Map<number, Frame>();
  private readonly watch = new ReadWatch();
  private sender: RemoteInfo | undefined;
  private lastSr: { report: SenderReport; reportId: number; arrivalNs: bigint } | undefined;
  private highestFrame = -1;
  private lastRtp = 0;
  /** The next frame to decode; frames before it are done (checkpoint + 1). */
  private nextFrame = 0;
  private highestSeq = 0;
  private feedbackCount = 0;
  private targetDelayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: StreamingSessionOptions) {
    this.receiverSsrc = (o.audio.ssrc + 1) >>> 0;
    this.crypto = new FrameCrypto(o.audio.aesKey, o.audio.aesIvMask);
    this.targetDelayMs = o.audio.targetDelayMs;
    this.clock = new LocalClock(o.knobs.skewPpm ?? 0);
    this.output = new ScheduledOutput(o.out, () => this.clock.nowUs(), {
      // Each drop says where (a test tells a receiver starved of CPU from a sync error by these), up to LATE_WARNINGS.
      late: (n, at) => {
        if (this.lateWarnings++ < LATE_WARNINGS) o.warn(`cast streaming: audio decoded after its play time (${n} samples dropped at session output frame ${at})${this.lateWarnings === LATE_WARNINGS ? '; later ones are counted' : ''}`);
        this.samplesLate += n;
      },
    }, OUTPUT_LEAD_MS);
    this.decoder = new OpusDecoder<bigint>((playNs, pcm) => this.play(playNs, pcm), (e) => o.warn(e.message), o.ffmpegPath);
    this.socket = createSocket('udp4');
    const receive = netem<number>(o.knobs, (b, arrivedMs, stalledMs) => this.onPacket(b, arrivedMs, stalledMs));
    this.socket.on('message', (b, from) => {
      // The sender is whoever sends to the port (receiver_packet_router.cc answers the last peer).
      this.sender = from;
      receive(b, this.watch.gapMs());
    });
    this.socket.on('error', (e) => o.warn(`cast streaming socket: ${e.message}`));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(0, this.o.host, () => resolve());
    });
    this.port = this.socket.address().port;
    this.schedule(REPORT_MS);
    // The ANSWER goes once the device is set up to play (receiver_session.cc InitializeSession:
    // SpawnReceivers, client_->OnNegotiated where the embedder makes its players, then the ANSWER):
    // here once the ffmpeg decoder has decoded a packet, not as the first frames come (measured:
    // 0.4 s from spawn to a first output at load 4, more under load).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.decoder.ready, new Promise((r) => (timer = setTimeout(r, DECODER_START_MS)))]);
    clearTimeout(timer);
    return this.port;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.watch.stop();
    this.decoder.close();
    this.output.close();
    this.socket.close();
  }

  private onPacket(b: Buffer, arrivedMs: number, stalledMs: number): void {
    if (this.closed) return;
    if (isRtp(b)) return this.onRtp(b);
    try {
      for (const item of parseRtcp(b)) {
        if (item.type === 'sr' && item.report.ssrc === this.o.audio.ssrc) this.onSenderReport(item.report, item.reportId, arrivedMs, stalledMs);
      }
    } catch (e) {
      this.o.warn(`cast streaming: RTCP packet of ${b.length} bytes ignored: ${(e as Error).message}`);
    }
  }

  /** The offset is measured at the SR's arrival time (receiver.cc OnReceivedRtcpPacket(arrival_time, …): the packet router's receive time). */
  private onSenderReport(report: SenderReport, reportId: number, arrivedMs: number, stalledMs: number): void {
    if (stalledMs >= STALLED_READ_MS) {
      if (this.srWarnings++ < LATE_WARNINGS) this.o.warn(`cast streaming: Sender Report read after this process stood still ${stalledMs.toFixed(0)} ms: not a clock sample (session output frame ${this.output.frameNow})`);
      // Without a clock estimate yet it cannot place frames: as if lost.
      if (this.smoother.current === undefined) return;
      this.lastSr = { report, reportId, arrivalNs: this.clock.nowNs(arrivedMs) };
      this.sendRtcp();
      return;
    }
    const arrivalNs = this.clock.nowNs(arrivedMs);
    this.lastSr = { report, reportId, arrivalNs };
    const measured = Number(arrivalNs - report.ntpNs);
    // Read later than the earliest one: the network's jitter, or this process kept from reading
    // (a device stamps arrival in its network stack; here a starved event loop stamps it late and
    // the smoother's IIR moves the output by elapsed / 30 s of the lateness). Said, for tests.
    const lateMs = this.smoother.current === undefined ? 0 : (measured - this.smoother.current) / 1e6;
    if (lateMs >= SR_LATE_MS && this.srWarnings++ < LATE_WARNINGS) this.o.warn(`cast streaming: Sender Report read ${lateMs.toFixed(0)} ms after the earliest ones (session output frame ${this.output.frameNow})`);
    this.smoother.update(this.clock.nowUs(arrivedMs), measured);
    this.sendRtcp();
  }

  private onRtp(b: Buffer): void {
    const p = parseCastRtp(b);
    if (!p || p.ssrc !== this.o.audio.ssrc) return;
    this.highestSeq = p.sequence;
    const id = expand(p.frameId8, Math.max(this.highestFrame, 0), 8);
    // Too old (already played or given up) or absurdly far ahead (receiver.cc kMaxUnackedFrames).
    if (id < this.nextFrame || id > this.nextFrame + 120) return;
    this.highestFrame = Math.max(this.highestFrame, id);
    if (!this.lastSr && p.packetId === 0) return; // Receiver::OnReceivedRtpPacket: no SR yet
    let f = this.frames.get(id);
    if (!f) this.frames.set(id, (f = { packets: new Array<Buffer | undefined>(p.maxPacketId + 1), received: 0 }));
    if (p.maxPacketId + 1 !== f.packets.length || f.packets[p.packetId]) return;
    f.packets[p.packetId] = Buffer.from(p.payload);
    f.received++;
    if (p.packetId === 0) {
      if (p.newPlayoutDelayMs) this.targetDelayMs = p.newPlayoutDelayMs;
      const rtp = expand(p.rtpTimestamp, this.lastRtp, 32);
      this.lastRtp = rtp;
      f.rtp = rtp;
      const sr = this.lastSr!;
      const srRtp = expand(sr.report.rtpTimestamp, rtp, 32);
      // estimated capture = SR reference time + smoothed offset + RTP delta (receiver.cc), + target delay (ConsumeNextFrame).
      const afterSrNs = this.smoother.current! + ((rtp - srRtp) * 1e9) / this.o.audio.rtpTimebase + (this.targetDelayMs + (this.o.knobs.outputLatencyMs ?? 0)) * 1e6;
      f.playNs = sr.report.ntpNs + BigInt(Math.round(afterSrNs));
    }
    this.drain();
  }

  /** Decodes complete frames in order; a frame missing too close to its time is skipped. */
  private drain(): void {
    for (;;) {
      const f = this.frames.get(this.nextFrame);
      if (f && f.received === f.packets.length && f.playNs !== undefined) {
        this.frames.delete(this.nextFrame++);
        const enc = Buffer.concat(f.packets as Buffer[]);
        this.decoder.decode(this.crypto.apply(this.nextFrame - 1, enc), f.playNs);
        continue;
      }
      // Skip it only when a later frame is ready and due soon (Receiver::AdvanceToNextFrame skips ahead similarly).
      const later = [...this.frames.entries()].filter(([id, x]) => id > this.nextFrame && x.playNs !== undefined).sort((a, b) => a[0] - b[0])[0];
      if (!later || this.clock.usOf(later[1].playNs!) - this.clock.nowUs() > GIVE_UP_MS * 1000) return;
      this.o.warn(`cast streaming: frame ${this.nextFrame} given up (${f ? `${f.received} of ${f.packets.length} packets${f.playNs === undefined ? ', no packet 0' : ''}` : 'no packet'}; frame ${later[0]} plays in ${((this.clock.usOf(later[1].playNs!) - this.clock.nowUs()) / 1000).toFixed(0)} ms)`);
      this.frames.delete(this.nextFrame++);
      this.framesDropped++;
    }
  }

  private play(playNs: bigint, pcm: Buffer): void {
    this.framesPlayed++;
    this.minMarginMs = Math.min(this.minMarginMs, (this.clock.usOf(playNs) - this.clock.nowUs()) / 1000);
    const gain = this.o.gain();
    let data = pcm;
    if (gain !== 1) {
      data = Buffer.alloc(pcm.length);
      for (let i = 0; i < pcm.length; i += 2) data.writeInt16LE(Math.round(pcm.readInt16LE(i) * gain), i);
    }
    this.output.add(this.clock.usOf(playNs), data);
  }

  private missing(): PacketNack[] {
    const nacks: PacketNack[] = [];
    for (let id = this.nextFrame; id <= this.highestFrame; id++) {
      const f = this.frames.get(id);
      if (!f) nacks.push({ frameId8: id & 0xff, packetId: ALL_PACKETS_LOST });
      else if (f.received < f.packets.length) f.packets.forEach((x, i) => x || nacks.push({ frameId8: id & 0xff, packetId: i }));
    }
    return nacks;
  }

  private sendRtcp(): void {
    if (this.closed) return;
    this.drain();
    const nacks = this.missing();
    const acks: number[] = [];
    for (const [id, f] of this.frames) if (id > this.nextFrame && f.received === f.packets.length) acks.push(id & 0xff);
    const sr = this.lastSr;
    const now = this.clock.nowNs();
    const packet = buildReceiverRtcp({
      receiverSsrc: this.receiverSsrc,
      referenceTimeNs: now,
      ...(sr ? { reportBlock: { ssrc: this.o.audio.ssrc, fractionLost: 0, cumulativeLost: 0, highestSequence: this.highestSeq, jitter: 0, lastReportId: sr.reportId, delaySinceLastReport: Math.round((Number(now - sr.arrivalNs) / 1e9) * 65536) } } : {}),
      feedback: { senderSsrc: this.o.audio.ssrc, checkpointFrameId8: (this.nextFrame - 1) & 0xff, playoutDelayMs: this.targetDelayMs, nacks, acks: acks.sort((a, b) => a - b), feedbackCount: this.feedbackCount++ },
    });
    if (this.sender) {
      this.socket.send(packet, this.sender.port, this.sender.address);
      if (this.o.knobs.rtcpGarbage) this.socket.send(Buffer.from('81c9ffff' + 'de'.repeat(20), 'hex'), this.sender.port, this.sender.address);
    }
    this.schedule(nacks.length ? NACK_MS : REPORT_MS);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sendRtcp(), ms);
  }
}
