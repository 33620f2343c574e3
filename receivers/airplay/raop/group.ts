// Several speakers as one: a RAOP session per speaker, all on one clock and one timeline, fed the
// same packets with the same RTP timestamps at the same moment. Each speaker disciplines its clock
// to ours through the timing exchange and plays frame f at timeline.nsAtFrames(f) + latency, so
// every sample is heard everywhere at once (docs/protocols.md §5 "Multi-room sync"). One decoder feeds
// the whole group; a member that fails is dropped and reported, the others play on.
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { FRAMES_PER_PACKET, NtpClock, Timeline } from './clock.js';
import { packets } from './pcm.js';
import { RaopSession, SEND_AHEAD_MS, type RaopSessionOptions } from './sender.js';

export interface GroupMember extends Pick<RaopSessionOptions, 'host' | 'port' | 'volume' | 'password' | 'codec'> {
  /**
   * Plays this member this many ms later than the group (a per-room delay for speakers behind
   * slow amplifiers; tests use it to show that a known offset is measured).
   */
  delayMs?: number;
}

export interface RaopGroupOptions {
  latency?: number;
  timeoutMs?: number;
}

export interface RaopGroupEvents {
  /** A member's connection failed; it is out of the group. */
  memberLost: [RaopSession, Error];
}

export class RaopGroup extends EventEmitter<RaopGroupEvents> {
  private stopped = false;
  /** Timeline frame of the next packet (shared by every member). */
  private nextFrame = 0;

  private constructor(
    readonly clock: NtpClock,
    readonly timeline: Timeline,
    readonly sessions: RaopSession[],
  ) {
    super();
    for (const s of sessions) s.on('error', (e: Error) => this.drop(s, e));
  }

  /** Opens every member's session in parallel; fails (closing the others) when any cannot open. */
  static async open(members: GroupMember[], opts: RaopGroupOptions = {}): Promise<RaopGroup> {
    const clock = new NtpClock();
    const timeline = new Timeline(Math.floor(Math.random() * 0x1_0000_0000), clock.nowNs());
    const opened = await Promise.allSettled(
      members.map((m) =>
        RaopSession.open({
          host: m.host,
          port: m.port,
          clock,
          // Same RTP origin, later sender time: this member plays every frame delayMs later.
          timeline: m.delayMs ? new Timeline(timeline.rtp0, timeline.ns0 + BigInt(Math.round(m.delayMs * 1e6))) : timeline,
          ...(m.volume !== undefined ? { volume: m.volume } : {}),
          ...(m.password !== undefined ? { password: m.password } : {}),
          ...(m.codec !== undefined ? { codec: m.codec } : {}),
          ...(opts.latency !== undefined ? { latency: opts.latency } : {}),
          ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        }),
      ),
    );
    const sessions = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = opened.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      await Promise.all(sessions.map((s) => s.stop().catch(() => undefined)));
      const m = members[failed]!;
      const reason = (opened[failed] as PromiseRejectedResult).reason as Error;
      throw new Error(`speaker ${m.host}:${m.port} of the group did not start: ${reason.message}`);
    }
    return new RaopGroup(clock, timeline, sessions);
  }

  private drop(s: RaopSession, e: Error): void {
    const i = this.sessions.indexOf(s);
    if (i < 0) return;
    this.sessions.splice(i, 1);
    this.emit('memberLost', s, e);
  }

  /**
   * Streams s16le 44.1 kHz stereo PCM to every member at real-time pace. The first packet goes out
   * as the frame due now on the shared timeline, so each member gets identical timestamps.
   * Resolves when all of it was sent (or every member is gone).
   */
  async play(source: AsyncIterable<Buffer>): Promise<void> {
    let started = false;
    for await (const pcm of packets(source)) {
      if (this.stopped || this.sessions.length === 0) break;
      const now = this.clock.nowNs();
      if (!started) {
        this.nextFrame = this.timeline.framesAt(now);
        started = true;
      } else {
        // After a stall longer than the lead, go on from "now" rather than send what is overdue.
        this.nextFrame = Math.max(this.nextFrame, this.timeline.framesAt(now));
      }
      const dueMs = Number(this.timeline.nsAtFrames(this.nextFrame) - now) / 1e6 - SEND_AHEAD_MS;
      if (dueMs > 1) await delay(dueMs);
      if (this.stopped) break;
      for (const s of this.sessions) s.sendAt(pcm, this.nextFrame);
      this.nextFrame += FRAMES_PER_PACKET;
    }
  }

  /** Sender time (NTP ns) at which the members play the last frame sent so far (without delays). */
  playedOutAtNs(): bigint {
    return this.timeline.nsAtFrames(this.nextFrame + (this.sessions[0]?.latency ?? 0));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.sessions.map((s) => s.stop().catch(() => undefined)));
  }
}
