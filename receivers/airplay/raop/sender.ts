// One RAOP session with one receiver: RTSP handshake, then PCM paced in real time as escape-ALAC
// RTP packets on a shared timeline, sync packets every second, timing answers, pause (FLUSH),
// volume, stop (TEARDOWN). Never blocks the event loop: pacing is timers, encoding is cheap.
// Reports: 'error' (connection lost), 'ended' (source finished and all packets sent).
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { encodeEscapeFrame } from './alac.js';
import { FRAMES_PER_PACKET, NtpClock, SAMPLE_RATE, Timeline, wrap32 } from './clock.js';
import { ControlChannel } from './control.js';
import { packets } from './pcm.js';
import { encodeAudioPacket } from './rtp.js';
import { RtspClient, type RaopCodec } from './rtsp.js';
import { syncPacket } from './sync.js';
import { TimingResponder } from './timing.js';

export interface RaopSessionOptions {
  host: string;
  port: number;
  /** AirPlay volume in dB, 0 … −30 (−144 mute). Receivers start at their own default otherwise. */
  volume?: number;
  /** Frames between "now" on the timeline and when the receiver plays it (default 2 s). */
  latency?: number;
  /** Share these to keep several speakers on one timeline. */
  clock?: NtpClock;
  timeline?: Timeline;
  timeoutMs?: number;
  /** The speaker's password (TXT `pw=true`), answered with RTSP Digest auth. */
  password?: string;
  /** 'alac' (escape frames, default) or 'pcm' (L16) for speakers whose TXT `cn` lacks 1. */
  codec?: RaopCodec;
}

/** Big-endian L16 from s16le PCM (RAOP's `L16/44100/2`). */
function l16(pcm: Buffer): Buffer {
  const out = Buffer.from(pcm);
  return out.swap16();
}

/**
 * Packets go out this long before they are due on the timeline: an event-loop pause shorter than
 * this (GC, a busy moment) then costs nothing. The receiver buffers `latency` (2 s), so 100 ms
 * early is nothing to it.
 */
export const SEND_AHEAD_MS = 100;

/**
 * Within a run of packets (from a start or resume on), one that comes later than its time on the
 * timeline still gets that time when it is at most this share of the latency late: the receiver
 * plays it `latency` after that time, so it is still early enough, and the packets owed go out at
 * once. A longer stall (a loaded machine, the next track's ffmpeg slow to start) would otherwise
 * push the rest of the stream later: a gap in the RTP timestamps, heard as a click or a pause.
 */
const MAX_BEHIND_OF_LATENCY = 0.5;

const KEEPALIVE_MS = 15_000; // HomePods drop silent RTSP sessions (philippe44/libraop#39)
/**
 * A receiver asks for the time every few seconds for as long as its session lives (shairport-sync
 * every 3 s). Silence this long means it froze or left the network: sooner than the keepalive's
 * missed answer (up to 25 s), and it also catches a UDP path that broke while TCP still works.
 */
export const TIMING_SILENCE_MS = 10_000;

export class RaopSession extends EventEmitter {
  readonly clock: NtpClock;
  timeline!: Timeline;
  private seq = Math.floor(Math.random() * 0x10000);
  private readonly ssrc = Math.floor(Math.random() * 0x1_0000_0000);
  /** Timeline position (frames from rtp0) of the next packet to send. */
  private nextFrame = 0;
  /** Timeline position of the last packet sent. */
  lastFrame = 0;
  /** Packets have gone out since the start or the last resume (see MAX_BEHIND_OF_LATENCY). */
  private flowing = false;
  private marker = true;
  private firstSync = true;
  private paused = false;
  /** Bumped by every pause (FLUSH): audio pulled before it belongs to the flushed segment. */
  private epoch = 0;
  private resumed: (() => void) | undefined;
  private stopped = false;
  private released = false;
  private timers: NodeJS.Timeout[] = [];
  readonly latency: number;
  readonly codec: RaopCodec;
  packetsSent = 0;

  private constructor(
    /** The RTSP connection, for SET_PARAMETER calls (metadata, artwork, progress). */
    readonly rtsp: RtspClient,
    private readonly timing: TimingResponder,
    private readonly control: ControlChannel,
    opts: RaopSessionOptions,
  ) {
    super();
    this.clock = opts.clock ?? new NtpClock();
    this.latency = opts.latency ?? 2 * SAMPLE_RATE;
    this.codec = opts.codec ?? 'alac';
    rtsp.onClose = (e) => this.fail(e); // after stop() this is a no-op
  }

  static async open(opts: RaopSessionOptions): Promise<RaopSession> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const rtsp = await RtspClient.connect(opts.host, opts.port, timeoutMs, opts.password);
    const family = rtsp.localAddress.includes(':') ? 'udp6' : 'udp4';
    const clock = opts.clock ?? new NtpClock();
    const timing = new TimingResponder(clock, family);
    const control = new ControlChannel(family);
    const s = new RaopSession(rtsp, timing, control, { ...opts, clock });
    try {
      await rtsp.options();
      await rtsp.announce(opts.codec);
      const timingPort = await timing.bind(rtsp.localAddress);
      const controlPort = await control.bind(rtsp.localAddress);
      const setup = await rtsp.setup(controlPort, timingPort);
      control.remote = { address: rtsp.remoteAddress, controlPort: setup.controlPort, serverPort: setup.serverPort };
      await s.record(opts.timeline, timeoutMs);
      if (opts.volume !== undefined) await rtsp.setVolume(opts.volume);
    } catch (e) {
      s.release();
      throw e;
    }
    return s;
  }

  private async record(shared: Timeline | undefined, timeoutMs: number): Promise<void> {
    const now = this.clock.nowNs();
    this.timeline = shared ?? new Timeline(Math.floor(Math.random() * 0x1_0000_0000), now);
    this.nextFrame = this.timeline.framesAt(now);
    // RECORD's rtptime is where the receiver starts keeping audio (shairport-sync flushes up to it:
    // player.c@3.3.8 do_flush). A shared timeline may be running: a group then sends a joining
    // member the packets of the last `latency` that it can still play, all before "now".
    await this.rtsp.record(this.seq, this.rtpOf(shared ? this.nextFrame - this.latency : this.nextFrame));
    // shairport-sync starts asking for the time at RECORD and ignores sync packets until it has
    // an answer (rtp.c@3.3.8), so the first sync waits for the first timing request.
    await this.timing.firstRequest(timeoutMs);
    this.sendSync();
    this.timers.push(setInterval(() => this.sendSync(), 1000));
    this.timers.push(setInterval(() => this.rtsp.options().catch((e: Error) => this.fail(e)), KEEPALIVE_MS));
    this.timers.push(setInterval(() => {
      const silentMs = performance.now() - this.timing.lastRequestAt;
      if (silentMs > TIMING_SILENCE_MS) this.fail(new Error(`no timing request for ${Math.round(silentMs / 1000)} s (it stopped asking for the time)`));
    }, 1000));
  }

  private rtpOf(frame: number): number {
    return wrap32(this.timeline.rtp0 + frame);
  }

  private sendSync(): void {
    const now = this.clock.nowNs();
    this.control.sendControl(syncPacket({ first: this.firstSync, rtpNow: this.timeline.rtpAt(now), ntpNs: now, latency: this.latency }));
    this.firstSync = false;
  }

  /** Streams s16le 44.1 kHz stereo PCM at real-time pace; resolves when all of it was sent. */
  async play(source: AsyncIterable<Buffer>): Promise<void> {
    for await (const pcm of packets(source)) {
      const epoch = this.epoch;
      // Wait until the packet is due; a pause during the wait drops it (it was flushed).
      for (;;) {
        if (this.paused) await new Promise<void>((r) => (this.resumed = r));
        if (this.stopped) break;
        const now = this.clock.nowNs();
        // Never further into the past than a run allows: after a start, a pause or a long stall,
        // go on from "now".
        this.nextFrame = Math.max(this.nextFrame, this.earliestFrame(now));
        const dueMs = Number(this.timeline.nsAtFrames(this.nextFrame) - now) / 1e6 - SEND_AHEAD_MS;
        if (dueMs > 1) await delay(dueMs);
        if (!this.paused) break;
      }
      if (this.stopped) break;
      if (epoch !== this.epoch) continue;
      this.sendAt(pcm, this.nextFrame);
    }
    this.emit('ended');
  }

  /** The earliest timeline frame a packet sent at `now` may have. */
  private earliestFrame(now: bigint): number {
    const behind = this.flowing ? Math.floor(this.latency * MAX_BEHIND_OF_LATENCY) : 0;
    return this.timeline.framesAt(now) - behind;
  }

  /** The timeline frame the next packet would get if sent now (for starting a group in step). */
  frameNow(): number {
    return Math.max(this.nextFrame, this.earliestFrame(this.clock.nowNs()));
  }

  /**
   * Sends one packet (≤ 352 frames of s16le stereo) as timeline frame `frame`: played at
   * timeline.nsAtFrames(frame) + latency. A group calls this for every member with the same frame.
   */
  sendAt(pcm: Buffer, frame: number): void {
    if (this.stopped) return;
    const frames = pcm.length / 4;
    const payload = this.codec === 'alac' ? encodeEscapeFrame(pcm) : l16(pcm);
    const packet = encodeAudioPacket({ seq: this.seq, timestamp: this.rtpOf(frame), ssrc: this.ssrc, marker: this.marker, payload });
    this.control.sendAudio(this.seq, packet);
    this.seq = (this.seq + 1) & 0xffff;
    this.marker = false;
    this.packetsSent++;
    this.flowing = true;
    this.lastFrame = frame;
    this.nextFrame = frame + (frames < FRAMES_PER_PACKET ? FRAMES_PER_PACKET : frames);
  }

  /** Sender time (NTP ns) at which the receiver plays the last frame sent so far. */
  playedOutAtNs(): bigint {
    return this.timeline.nsAtFrames(this.nextFrame + this.latency);
  }

  /** Stops sending and tells the receiver to drop what it has buffered. */
  async pause(): Promise<void> {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.flowing = false;
    this.epoch++;
    await this.rtsp.flush(this.seq, this.rtpOf(this.nextFrame));
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.marker = true;
    this.firstSync = true;
    this.sendSync();
    this.resumed?.();
    this.resumed = undefined;
  }

  setVolume(db: number): Promise<unknown> {
    return this.rtsp.setVolume(Math.max(-144, Math.min(0, db)));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.resumed?.();
    try {
      await this.rtsp.teardown();
    } finally {
      this.release();
    }
  }

  private fail(e: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.resumed?.();
    this.release();
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.rtsp.close();
    this.timing.close();
    this.control.close();
  }
}
