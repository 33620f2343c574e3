// An AirPlay speaker as a member of a synced stream (a group): a RAOP session on the stream's
// clock and timeline, fed packets by the stream (shared/timeline-member.ts) rather than pacing its
// own. A member delay is the same timeline with a later sender time (as RaopGroup does): the
// speaker plays every frame delayMs later.
import { EventEmitter } from 'node:events';
import { Timeline } from './raop/clock.js';
import { fetchArtwork, sendNowPlaying, type Artwork } from './raop/metadata.js';
import type { RaopCodec } from './raop/rtsp.js';
import { RaopSession } from './raop/sender.js';
import { codecFor } from './describe.js';
import { explain } from './driver-state.js';
import { volumeDb } from './driver.js';
import type { ConnectOptions, ReceiverDescriptor } from '../types.js';
import type { MemberOptions, NowPlaying, TimelineContext, TimelineMember, TimelineMemberEvents } from '../shared/timeline-member.js';

export interface RaopMemberOptions extends MemberOptions, ConnectOptions {
  codec?: RaopCodec;
  timeoutMs?: number;
  log?: (msg: string, fields?: object) => void;
}

const shifted = (t: Timeline, ms: number): Timeline => (ms ? new Timeline(t.rtp0, t.ns0 + BigInt(Math.round(ms * 1e6))) : t);

class RaopMember extends EventEmitter<TimelineMemberEvents> implements TimelineMember {
  private done = false;
  private art: { url: string | undefined; artwork: Promise<Artwork> } | undefined;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly session: RaopSession,
    private readonly ctx: TimelineContext,
    private readonly log: (msg: string, fields?: object) => void,
  ) {
    super();
    session.on('error', (e: Error) => {
      if (this.done) return;
      this.done = true;
      this.emit('error', e);
    });
  }

  sendAt(pcm: Buffer, frame: number): void {
    this.session.sendAt(pcm, frame);
  }

  async flush(): Promise<void> {
    await this.session.pause().catch((e: unknown) => Promise.reject(explain(e, this.name)));
  }

  resume(): void {
    this.session.resume();
  }

  async setVolume(level: number, muted: boolean): Promise<void> {
    await this.session.setVolume(volumeDb(level, muted)).catch((e: unknown) => Promise.reject(explain(e, this.name)));
  }

  /**
   * The next sync packet (within 1 s) says the new mapping: frames already buffered play later
   * (or, for a shorter delay, those now late are dropped by the speaker), once.
   */
  setDelay(ms: number): void {
    this.session.timeline = shifted(this.ctx.timeline, ms);
  }

  nowPlaying(n: NowPlaying): void {
    const s = this.session;
    let item;
    if (n.title !== undefined) {
      // One fetch of the cover per item, not per segment.
      const art = this.art && this.art.url === n.artUrl ? this.art : { url: n.artUrl, artwork: n.artwork ?? fetchArtwork(n.artUrl) };
      this.art = art;
      const metadata = { title: n.title, kind: 'audio' as const, ...(n.artist ? { artist: n.artist } : {}), ...(n.album ? { album: n.album } : {}) };
      item = { metadata, artwork: art.artwork };
    }
    sendNowPlaying(s.rtsp, { rtp: s.timeline.rtp0 + n.frame, position: n.position, duration: n.duration, ...(item ? { item } : {}) }, this.log, () => !this.done);
  }

  async stop(): Promise<void> {
    this.done = true;
    await this.session.stop();
  }
}

/** Opens a RAOP session with the speaker on the stream's clock and timeline; throws a readable error. */
export async function openRaopMember(d: ReceiverDescriptor, ctx: TimelineContext, opts: RaopMemberOptions = {}): Promise<TimelineMember> {
  let session: RaopSession;
  try {
    session = await RaopSession.open({
      host: d.host,
      port: d.endpoints?.raop ?? d.port,
      clock: ctx.clock,
      timeline: shifted(ctx.timeline, opts.delayMs ?? 0),
      latency: ctx.latency,
      volume: volumeDb(opts.volume ?? 1, opts.muted ?? false),
      timeoutMs: opts.timeoutMs ?? 5000,
      codec: opts.codec ?? codecFor(d.id),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
    });
  } catch (e) {
    throw explain(e, d.name);
  }
  return new RaopMember(d.id, d.name, session, ctx, (m, f) => opts.log?.(`airplay member: ${m}`, { receiver: d.id, ...f }));
}
