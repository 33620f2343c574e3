// One PCM stream to members (AirPlay speakers, Sendspin players) as the PCM driver's stream: the
// one pacing loop (a speaker alone is a stream of one member: airplay/speaker-stream.ts), packets
// paced in real time on one timeline of the server clock, every member sent the same packet with
// the same timeline frame (shared/timeline-member.ts). A member joins a running
// stream: it is sent again what the others were sent in the last `latency` and will still hear
// late enough for it to be on time, so it is heard within about a second, in step, and nothing
// changes for the others. A member that fails is dropped and reported; the others play on.
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { FRAMES_PER_PACKET, SAMPLE_RATE, Timeline } from '../airplay/raop/clock.js';
import { packets } from '../airplay/raop/pcm.js';
import { serverClock } from '../shared/server-clock.js';
import type { PcmStream, PcmStreamEvents, StreamNowPlaying } from '../shared/pcm-stream.js';
import type { NowPlaying, TimelineContext, TimelineMember } from '../shared/timeline-member.js';

/**
 * Packets go out this long before they are due on the timeline: an event-loop pause shorter than
 * this (GC, a busy moment) then costs nothing. Members buffer `latency` (2 s), so 100 ms early is
 * nothing to them.
 */
export const SEND_AHEAD_MS = 100;

/**
 * Within a run of packets (from a start or resume on), one that comes later than its time on the
 * timeline still gets that time when it is at most this share of the latency late: members play it
 * `latency` after that time, so it is still early enough, and the packets owed go out at once. A
 * longer stall (a loaded machine, the next track's ffmpeg slow to start) would otherwise push the
 * rest of the stream later: a gap in the RTP timestamps, heard as a click or a pause.
 */
const MAX_BEHIND_OF_LATENCY = 0.5;

/**
 * A joining member is sent the recent packets it still hears at least this long from now: time for
 * the packets to get there and be taken in (0.6 s was enough for shairport-sync in the tests).
 * Packets of a RAOP member older than its RECORD would be flushed: raop/sender.ts records a
 * latency back on a shared timeline.
 */
export const JOIN_LEAD_MS = 1000;

export interface GroupStreamOptions {
  /** Frames between a frame's time on the timeline and when it is heard (default 2 s). */
  latency?: number;
  /** A member failed and is out of the stream. */
  onLost?: (m: TimelineMember, e: Error) => void;
  /** The stream ended (its item finished, stop, a new load): every member was stopped. */
  onStop?: () => void;
  /** The stream's volume is its members' (one speaker alone); else a group sets them one by one. */
  volumeToMembers?: boolean;
  log?: (msg: string, fields?: object) => void;
}

interface Sent {
  pcm: Buffer;
  frame: number;
}

export class GroupStream extends EventEmitter<PcmStreamEvents> implements PcmStream {
  readonly clock = serverClock;
  readonly timeline: Timeline;
  readonly latency: number;
  packetsSent = 0;
  lastFrame = 0;
  private nextFrame: number;
  private flowing = false;
  private paused = false;
  private epoch = 0;
  private resumed: (() => void) | undefined;
  stopped = false;
  private readonly live = new Map<string, { m: TimelineMember; delayMs: number }>();
  /** What was sent in the last `latency`, oldest first (dropped by a FLUSH). */
  private recent: Sent[] = [];
  /** The last segment announced, with its item's info (for members that join later). */
  private shown: NowPlaying | undefined;

  constructor(private readonly opts: GroupStreamOptions = {}) {
    super();
    const now = this.clock.nowNs();
    this.timeline = new Timeline(Math.floor(Math.random() * 0x1_0000_0000), now);
    this.latency = opts.latency ?? 2 * SAMPLE_RATE;
    this.nextFrame = this.timeline.framesAt(now);
  }

  /** Where members' frames go in time: handed to each member as it opens. */
  get ctx(): TimelineContext {
    return { clock: this.clock, timeline: this.timeline, latency: this.latency };
  }

  members(): TimelineMember[] {
    return [...this.live.values()].map((l) => l.m);
  }

  /** Adds an opened member; on a running stream it gets the recent packets it can still play in time. */
  join(m: TimelineMember, delayMs = 0): void {
    if (this.stopped) {
      void m.stop().catch(() => undefined);
      return;
    }
    const old = this.live.get(m.id);
    if (old && old.m !== m) void old.m.stop().catch(() => undefined);
    m.on('error', (e: Error) => this.drop(m, e));
    const now = this.clock.nowNs();
    const lead = BigInt(Math.round((JOIN_LEAD_MS + delayMs) * 1e6));
    let sent = 0;
    if (!this.paused) {
      for (const p of this.recent) {
        if (this.timeline.nsAtFrames(p.frame + this.latency) - now < lead) continue;
        m.sendAt(p.pcm, p.frame);
        sent++;
      }
    }
    this.live.set(m.id, { m, delayMs });
    if (this.shown) m.nowPlaying?.(this.shown);
    this.opts.log?.('member joined', { member: m.id, backfilled: sent });
  }

  /** Takes a member out (its stream ends); the others are untouched. */
  async leave(id: string): Promise<void> {
    const l = this.live.get(id);
    if (!l) return;
    this.live.delete(id);
    await l.m.stop().catch(() => undefined);
  }

  setDelay(id: string, ms: number): void {
    const l = this.live.get(id);
    if (!l) return;
    l.delayMs = ms;
    l.m.setDelay(ms);
  }

  private drop(m: TimelineMember, e: Error): void {
    const l = this.live.get(m.id);
    if (!l || l.m !== m) return;
    this.live.delete(m.id);
    void m.stop().catch(() => undefined);
    this.opts.onLost?.(m, e);
  }

  /** The group itself is lost (every member is gone). */
  fail(e: Error): void {
    if (this.stopped) return;
    this.emit('error', e);
  }

  async play(source: AsyncIterable<Buffer>): Promise<void> {
    for await (const pcm of packets(source)) {
      const epoch = this.epoch;
      for (;;) {
        if (this.paused) await new Promise<void>((r) => (this.resumed = r));
        if (this.stopped) break;
        const now = this.clock.nowNs();
        this.nextFrame = Math.max(this.nextFrame, this.earliestFrame(now));
        const dueMs = Number(this.timeline.nsAtFrames(this.nextFrame) - now) / 1e6 - SEND_AHEAD_MS;
        if (dueMs > 1) await delay(dueMs);
        if (!this.paused) break;
      }
      if (this.stopped) break;
      if (epoch !== this.epoch) continue;
      this.send(pcm, this.nextFrame);
    }
  }

  private earliestFrame(now: bigint): number {
    const behind = this.flowing ? Math.floor(this.latency * MAX_BEHIND_OF_LATENCY) : 0;
    return this.timeline.framesAt(now) - behind;
  }

  private send(pcm: Buffer, frame: number): void {
    for (const { m } of [...this.live.values()]) {
      try {
        m.sendAt(pcm, frame);
      } catch (e) {
        this.drop(m, e as Error);
      }
    }
    this.recent.push({ pcm, frame });
    while (this.recent.length > 0 && this.recent[0]!.frame < frame - this.latency) this.recent.shift();
    this.packetsSent++;
    this.flowing = true;
    this.lastFrame = frame;
    const frames = pcm.length / 4;
    this.nextFrame = frame + (frames < FRAMES_PER_PACKET ? FRAMES_PER_PACKET : frames);
  }

  frameNow(): number {
    return Math.max(this.nextFrame, this.earliestFrame(this.clock.nowNs()));
  }

  playedOutAtNs(): bigint {
    return this.timeline.nsAtFrames(this.nextFrame + this.latency);
  }

  async pause(): Promise<void> {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.flowing = false;
    this.epoch++;
    this.recent = [];
    await Promise.all(this.members().map((m) => m.flush(this.nextFrame).catch((e: Error) => this.drop(m, e))));
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const frame = this.frameNow();
    for (const m of this.members()) m.resume(frame);
    this.resumed?.();
    this.resumed = undefined;
  }

  /** A group's volumes are per member (the group receiver sets them); one speaker alone's is its own. */
  async setVolume(level: number, muted: boolean): Promise<void> {
    if (this.opts.volumeToMembers) await Promise.all(this.members().map((m) => m.setVolume(level, muted)));
  }

  nowPlaying(n: StreamNowPlaying): void {
    const m = n.item?.metadata;
    const info: NowPlaying = m
      ? { frame: n.frame, position: n.position, duration: n.duration, title: m.title, ...(m.artist ? { artist: m.artist } : {}), ...(m.album ? { album: m.album } : {}), ...(m.artUrl ? { artUrl: m.artUrl, artwork: n.item!.artwork } : {}) }
      : { frame: n.frame, position: n.position, duration: n.duration };
    // A member joining later is told the item too, with the segment's progress.
    const item = m ? info : this.shown;
    this.shown = { ...(item ?? {}), frame: n.frame, position: n.position, duration: n.duration };
    for (const x of this.members()) x.nowPlaying?.(info);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.resumed?.();
    const all = this.members();
    this.live.clear();
    this.opts.onStop?.();
    await Promise.all(all.map((m) => m.stop().catch(() => undefined)));
  }
}
