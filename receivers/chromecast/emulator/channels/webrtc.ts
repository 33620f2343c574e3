// The mirroring app's `urn:x-cast:com.google.cast.webrtc` channel: an OFFER is checked as Open
// Screen's ReceiverSession does (offer_messages.cc: mandatory fields, encrypted offers only; Opus
// chosen, other codecs skipped), a Cast Streaming session is opened on one UDP port and the ANSWER
// names it (ReceiverSession::ConstructAnswer: udpPort, sendIndexes, ssrcs = offer ssrc + 1), or an
// ANSWER with result "error" says why (SendErrorAnswerReply). A new OFFER replaces the session.
import { selectOpusStream, WEBRTC_NS } from '../../streaming/messages.js';
import type { ChannelContext } from '../context.js';
import type { Incoming } from '../server.js';
import { StreamingSession, type StreamingKnobs } from '../streaming/session.js';

export interface StreamingOptions {
  knobs: StreamingKnobs;
  /** Test knob: a broken ANSWER (without udpPort, or not an object) instead of the right one. */
  badAnswer?: 'no-udp-port' | 'malformed';
  /** Where the device's "DAC" writes what it plays (shairport-sync's stdout convention). */
  out: NodeJS.WritableStream;
  host: string;
  ffmpegPath?: string;
}

export class WebrtcChannel {
  private session: StreamingSession | undefined;

  constructor(
    private readonly ctx: ChannelContext,
    private readonly opts: StreamingOptions,
  ) {}

  async handle(msg: Incoming): Promise<void> {
    const data = msg.data ?? {};
    if (data.type !== 'OFFER') return this.ctx.warn(`ignored ${WEBRTC_NS} ${String(data.type)}`);
    const seqNum = typeof data.seqNum === 'number' ? data.seqNum : -1;
    const chosen = selectOpusStream(data);
    if ('error' in chosen) {
      this.ctx.warn(`refused OFFER: ${chosen.error}`);
      return this.ctx.reply(msg, { type: 'ANSWER', seqNum, result: 'error', error: { code: 1, description: chosen.error } });
    }
    if (this.opts.badAnswer === 'malformed') return this.ctx.reply(msg, { type: 'ANSWER', seqNum, result: 'ok', answer: 'udpPort=2344' });
    this.stop();
    const { audio } = chosen;
    const volume = this.ctx.state.volume;
    const session = new StreamingSession({
      audio, host: this.opts.host, knobs: this.opts.knobs, out: this.opts.out,
      gain: () => (volume.muted ? 0 : volume.level),
      warn: (l) => this.ctx.warn(l),
      ...(this.opts.ffmpegPath ? { ffmpegPath: this.opts.ffmpegPath } : {}),
    });
    this.session = session;
    const udpPort = await session.start();
    if (this.session !== session) return; // stopped or replaced while it set up
    const answer: Record<string, unknown> = { castMode: 'mirroring', udpPort, sendIndexes: [audio.index], ssrcs: [session.receiverSsrc], receiverRtcpEventLog: [] };
    if (this.opts.badAnswer === 'no-udp-port') delete answer.udpPort;
    this.ctx.reply(msg, { type: 'ANSWER', seqNum, result: 'ok', answer });
    this.ctx.emit({ event: 'streaming', codec: 'opus', targetDelay: audio.targetDelayMs, encrypted: true, udpPort });
  }

  stop(): void {
    if (!this.session) return;
    const s = this.session;
    this.session = undefined;
    s.close();
    this.ctx.emit({ event: 'streaming-stopped', framesPlayed: s.framesPlayed, framesDropped: s.framesDropped, samplesLate: s.samplesLate, minMarginMs: Number.isFinite(s.minMarginMs) ? Math.round(s.minMarginMs) : null });
  }
}
