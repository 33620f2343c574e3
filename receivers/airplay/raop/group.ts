// Several speakers as one, for a caller with PCM of its own (tests, the CPU benchmark): a RAOP
// session per speaker (airplay/member.ts) on one GroupStream (group/stream.ts): one clock, one
// timeline, the same packets with the same RTP timestamps at the same moment. Each speaker
// disciplines its clock to ours through the timing exchange and plays frame f at
// timeline.nsAtFrames(f) + latency, so every sample is heard everywhere at once (docs/protocols.md
// §5 "Multi-room sync"). A member that fails is dropped and reported, the others play on.
import { EventEmitter } from 'node:events';
import type { NtpClock, Timeline } from './clock.js';
import type { RaopSessionOptions } from './sender.js';
import { GroupStream } from '../../group/stream.js';
import { openRaopMember } from '../member.js';
import type { TimelineMember } from '../../shared/timeline-member.js';

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
  memberLost: [TimelineMember, Error];
}

/** The level (0..1) of an AirPlay volume in dB (−30 … 0; below: mute). */
const levelOf = (db: number): number => Math.min(1, Math.max(0, (db + 30) / 30));

export class RaopGroup extends EventEmitter<RaopGroupEvents> {
  private constructor(private readonly stream: GroupStream) {
    super();
  }

  get clock(): NtpClock {
    return this.stream.clock;
  }

  get timeline(): Timeline {
    return this.stream.timeline;
  }

  get latency(): number {
    return this.stream.latency;
  }

  /** The members still playing. */
  get members(): TimelineMember[] {
    return this.stream.members();
  }

  /** Opens every member's session in parallel; fails (closing the others) when any cannot open. */
  static async open(members: GroupMember[], opts: RaopGroupOptions = {}): Promise<RaopGroup> {
    let group: RaopGroup | undefined;
    const stream = new GroupStream({ ...(opts.latency !== undefined ? { latency: opts.latency } : {}), onLost: (m, e) => group?.emit('memberLost', m, e) });
    group = new RaopGroup(stream);
    const opened = await Promise.allSettled(
      members.map((m) => {
        const id = `airplay:${m.host}:${m.port}`;
        const d = { id, kind: 'airplay', name: `${m.host}:${m.port}`, model: null, host: m.host, port: m.port, type: 'speaker' as const, online: true, lastSeen: Date.now(), source: 'config' as const };
        return openRaopMember(d, stream.ctx, {
          delayMs: m.delayMs ?? 0,
          ...(m.volume !== undefined ? { volume: levelOf(m.volume), muted: m.volume < -30 } : {}),
          ...(m.password !== undefined ? { password: m.password } : {}),
          ...(m.codec !== undefined ? { codec: m.codec } : {}),
          ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        });
      }),
    );
    const failed = opened.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      await Promise.all(opened.map((r) => (r.status === 'fulfilled' ? r.value.stop().catch(() => undefined) : undefined)));
      const m = members[failed]!;
      const reason = (opened[failed] as PromiseRejectedResult).reason as Error;
      throw new Error(`speaker ${m.host}:${m.port} of the group did not start: ${reason.message}`);
    }
    opened.forEach((r, i) => stream.join((r as PromiseFulfilledResult<TimelineMember>).value, members[i]!.delayMs ?? 0));
    return group;
  }

  /**
   * Streams s16le 44.1 kHz stereo PCM to every member at real-time pace, the first packet as the
   * frame due now on the shared timeline. Resolves when all of it was sent.
   */
  play(source: AsyncIterable<Buffer>): Promise<void> {
    return this.stream.play(source);
  }

  /** Sender time (NTP ns) at which the members play the last frame sent so far (without delays). */
  playedOutAtNs(): bigint {
    return this.stream.playedOutAtNs();
  }

  async stop(): Promise<void> {
    await this.stream.stop();
  }
}
