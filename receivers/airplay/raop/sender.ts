// One RAOP session with one receiver: RTSP handshake, then packets given by a stream (sendAt:
// escape-ALAC or L16 RTP on the stream's timeline; the stream paces them, group/stream.ts), sync
// packets every second, timing answers, pause (FLUSH), volume, stop (TEARDOWN).
// Reports: 'error' (connection lost).
import { EventEmitter } from 'node:events';
import { encodeEscapeFrame } from './alac.js';
import { FRAMES_PER_PACKET, NtpClock, SAMPLE_RATE, Timeline, wrap32 } from './clock.js';
import { ControlChannel } from './control.js';
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
  /** Timeline position (frames from rtp0) after the last packet sent: where a FLUSH cuts. */
  private nextFrame = 0;
  private marker = true;
  private firstSync = true;
  private paused = false;
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
    this.nextFrame = frame + (frames < FRAMES_PER_PACKET ? FRAMES_PER_PACKET : frames);
  }

  /** Stops sending and tells the receiver to drop what it has buffered. */
  async pause(): Promise<void> {
    if (this.paused || this.stopped) return;
    this.paused = true;
    await this.rtsp.flush(this.seq, this.rtpOf(this.nextFrame));
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.marker = true;
    this.firstSync = true;
    this.sendSync();
  }

  setVolume(db: number): Promise<unknown> {
    return this.rtsp.setVolume(Math.max(-144, Math.min(0, db)));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await this.rtsp.teardown();
    } finally {
      this.release();
    }
  }

  private fail(e: Error): void {
    if (this.stopped) return;
    this.stopped = true;
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
