// A Chromecast as a member of a synced stream (a group's timeline), by Cast Streaming: the
// mirroring app is LAUNCHed (the audio-only one, then the audio+video one on LAUNCH_ERROR, as
// OwnTone's cast.c does), OFFERed Opus 48 kHz with an AES key, and sent the group's audio as Opus
// frames whose RTP timestamps are the group timeline's, with Sender Reports on the group's clock
// (streaming/sender.ts). The Opus is encoded once for all the stream's Cast members
// (streaming/shared-opus.ts); each member encrypts and sends it in its own session. A frame at
// timeline frame f is then heard at timeline.nsAtFrames(f + latency) + delayMs, as the AirPlay
// members hear it (docs/protocols.md "Cast Streaming").
// A device that cannot (no mirroring app, a refused or malformed ANSWER) throws a SyncUnavailable:
// the group has it follow unsynced, as before, and says why.
import { EventEmitter } from 'node:events';
import { SAMPLE_RATE } from '../airplay/raop/clock.js';
import type { MemberOptions, TimelineContext, TimelineMember, TimelineMemberEvents } from '../shared/timeline-member.js';
import { SyncUnavailable } from '../shared/timeline-member.js';
import type { ReceiverDescriptor } from '../types.js';
import { CastSession, type Json } from './driver/session.js';
import { FrameCrypto } from './streaming/crypto.js';
import { AUDIO_MIRRORING_APP_ID, AV_MIRRORING_APP_ID, buildOffer, MAX_TARGET_DELAY_MS, parseAnswer, WEBRTC_NS } from './streaming/messages.js';
import { OPUS_RATE } from './streaming/opus.js';
import { CastStreamSender } from './streaming/sender.js';
import { SharedOpus, type OpusTap } from './streaming/shared-opus.js';

export interface CastMemberOptions extends MemberOptions {
  timeoutMs?: number;
  /** Test switch: no Sender Reports (the receiver then never plays: Open Screen drops frames until one). */
  senderReports?: boolean;
  /** Between Sender Reports (default streaming/sender.ts REPORT_MS). */
  reportIntervalMs?: number;
  ffmpegPath?: string;
  /**
   * Bench switch: this member encodes its own Opus (what every member did before one encoder per
   * stream, streaming/shared-opus.ts), the reference the bench measures the shared one against.
   */
  opusPerMember?: boolean;
  log?: (msg: string, fields?: object) => void;
}

class CastMember extends EventEmitter<TimelineMemberEvents> implements TimelineMember {
  private done = false;
  private delayMs: number;
  /** RTP timestamp of timeline frame 0 (random, as RTP wants). */
  private readonly rtp0 = Math.floor(Math.random() * 0x1_0000_0000);
  /** The stream's Opus encoder (one for all its Cast members); attached from this member's first frame. */
  private readonly opus: SharedOpus;
  private attached = false;
  private readonly tap: OpusTap = {
    // The frame's RTP timestamp is its place on the timeline from this member's rtp0.
    onPacket: (p) => this.sender.sendFrame(p.data, (this.rtp0 + p.at) >>> 0),
    onError: (e) => this.fail(new Error(`${this.name}: ${e.message}`)),
  };

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly session: CastSession,
    private sender: CastStreamSender,
    private readonly ctx: TimelineContext,
    private readonly opts: CastMemberOptions,
    /** A new Cast Streaming session (OFFER, ANSWER, a new sender): what a flush needs. */
    private readonly renegotiate: () => Promise<CastStreamSender>,
  ) {
    super();
    this.delayMs = opts.delayMs ?? 0;
    const o = opts.ffmpegPath ? { ffmpegPath: opts.ffmpegPath } : {};
    this.opus = opts.opusPerMember ? new SharedOpus(o) : SharedOpus.forTimeline(ctx.timeline, o);
    session.on('down', (why) => this.fail(new Error(`${name}: ${why}`)));
    session.on('appClosed', () => this.fail(new Error(`${name} closed the mirroring app`)));
  }

  /** The RTP timestamp of the sample heard at sender time `ns` + target delay (the capture time of Cast RTP). */
  rtpAtCapture(ns: bigint, targetDelayMs: number): number {
    const heardNs = ns + BigInt(Math.round((targetDelayMs - this.delayMs) * 1e6)) - this.ctx.timeline.nsAtFrames(this.ctx.latency);
    return (this.rtp0 + Math.round((Number(heardNs) * OPUS_RATE) / 1e9)) >>> 0;
  }

  private fail(e: Error): void {
    if (this.done) return;
    this.done = true;
    this.close();
    this.emit('error', e);
  }

  sendAt(pcm: Buffer, frame: number): void {
    if (this.done) return;
    if (!this.attached) {
      this.attached = true;
      this.opus.attach(this.tap, frame);
    }
    this.opus.write(pcm, frame);
  }

  private detach(): void {
    this.attached = false;
    this.opus.detach(this.tap);
  }

  /**
   * Cast Streaming has no flush: the receiver plays what it holds (the target delay, 2 s). A new
   * OFFER replaces its session and drops that (receiver_session.cc takes each OFFER anew), so a
   * pause or seek is heard at once, as on the speakers.
   */
  async flush(): Promise<void> {
    this.detach();
    if (this.done) return;
    this.sender.close();
    try {
      this.sender = await this.renegotiate();
    } catch (e) {
      this.fail(new Error(`${this.name}: ${(e as Error).message}`));
    }
  }

  resume(): void {}

  async setVolume(level: number, muted: boolean): Promise<void> {
    const reply = await this.session.request('platform', { type: 'SET_VOLUME', volume: { level, muted } });
    if (reply.type !== 'RECEIVER_STATUS') throw new Error(`${this.name} refused SET_VOLUME (${String(reply.reason ?? reply.type)})`);
  }

  /** Taken at the next Sender Report (within REPORT_MS): frames from then on are heard `ms` later. */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  private close(): void {
    this.detach();
    this.sender.close();
    const x = this.sender;
    this.opts.log?.('cast member: sent', { receiver: this.id, packets: x.packetsSent, resends: x.resends, rttMs: Math.round(x.rttMs) });
  }

  async stop(): Promise<void> {
    const wasDone = this.done;
    this.done = true;
    this.close();
    if (!wasDone) await this.session.request('platform', { type: 'STOP' }).catch(() => undefined);
    await this.session.close();
  }
}

/** LAUNCH of the audio mirroring app, then of the audio+video one (cast_streaming_app_ids.h; OwnTone cast.c). */
async function launchMirroring(session: CastSession, name: string): Promise<string> {
  try {
    return await session.launch(AUDIO_MIRRORING_APP_ID, 'the audio mirroring app');
  } catch (first) {
    try {
      return await session.launch(AV_MIRRORING_APP_ID, 'the mirroring app');
    } catch (second) {
      throw new SyncUnavailable(`${name} cannot play in sync: no Cast Streaming (${(first as Error).message}; ${(second as Error).message})`);
    }
  }
}

/** The next ANSWER from the app (parseAnswer then checks its seqNum). */
function answerTo(session: CastSession, timeoutMs: number, name: string): Promise<Json> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(() => reject(new SyncUnavailable(`${name} did not answer the Cast Streaming OFFER within ${timeoutMs / 1000} s`))), timeoutMs);
    const onApp = (ns: string, data: Json) => {
      if (ns === WEBRTC_NS && data.type === 'ANSWER') done(() => resolve(data));
    };
    const done = (then: () => void) => {
      clearTimeout(timer);
      session.off('app', onApp);
      then();
    };
    session.on('app', onApp);
  });
}

/** Opens a Cast Streaming session with the device on the stream's clock and timeline; throws a readable error. */
export async function openCastMember(d: ReceiverDescriptor, ctx: TimelineContext, opts: CastMemberOptions = {}): Promise<TimelineMember> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const session = await CastSession.open({ host: d.host, port: d.port, name: d.name, connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs, pingIntervalMs: 5000, deadAfterMs: 15_000 });
  try {
    const transportId = await launchMirroring(session, d.name);
    session.connectApp(transportId);
    // The group's lead (≥ the AirPlay latency), within what an OFFER may ask (offer_messages.cc).
    const targetDelayMs = Math.min(MAX_TARGET_DELAY_MS, Math.round((ctx.latency / SAMPLE_RATE) * 1000));
    let member: CastMember | undefined;
    const negotiate = async (): Promise<CastStreamSender> => {
      const crypto = FrameCrypto.random();
      const ssrc = 1 + Math.floor(Math.random() * 500_000);
      const seqNum = 1 + Math.floor(Math.random() * 1e6);
      const answered = answerTo(session, timeoutMs, d.name);
      session.sendApp(WEBRTC_NS, buildOffer({ seqNum, ssrc, targetDelayMs, aesKeyHex: crypto.aesKeyHex, aesIvMaskHex: crypto.aesIvMaskHex }));
      let answer;
      try {
        answer = parseAnswer(await answered, seqNum);
      } catch (e) {
        throw e instanceof SyncUnavailable ? e : new SyncUnavailable(`${d.name} cannot play in sync: ${(e as Error).message}`);
      }
      const sender = new CastStreamSender({
        host: d.host, port: answer.udpPort, ssrc, receiverSsrc: answer.ssrcs[0]!, crypto, targetDelayMs, rtpTimebase: OPUS_RATE, clock: ctx.clock,
        rtpAtCapture: (ns) => member!.rtpAtCapture(ns, targetDelayMs),
        ...(opts.senderReports !== undefined ? { senderReports: opts.senderReports } : {}),
        ...(opts.reportIntervalMs !== undefined ? { reportIntervalMs: opts.reportIntervalMs } : {}),
        onError: (e) => member?.emit('error', e),
        warn: (l) => opts.log?.(`cast member: ${l}`, { receiver: d.id }),
      });
      opts.log?.('cast member: streaming', { receiver: d.id, udpPort: answer.udpPort, targetDelayMs });
      return sender;
    };
    const sender = await negotiate();
    member = new CastMember(d.id, d.name, session, sender, ctx, opts, async () => {
      const s = await negotiate();
      await s.start();
      return s;
    });
    await sender.start();
    if (opts.volume !== undefined || opts.muted !== undefined) await member.setVolume(opts.volume ?? 1, opts.muted ?? false);
    return member;
  } catch (e) {
    await session.request('platform', { type: 'STOP' }).catch(() => undefined);
    await session.close();
    throw e;
  }
}
