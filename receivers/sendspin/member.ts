// A Sendspin player as a member of a synced stream (receivers/shared/timeline-member.ts): each
// packet of timeline frame f goes out as a binary audio chunk stamped with the server time (µs)
// at which it is heard, timeline.nsAtFrames(f + latency) + delay — the same instant an AirPlay
// speaker of the group plays it. Chunks are sent only as far ahead as the player's
// buffer_capacity holds (spec: "the server sends audio chunks as far ahead as the client's buffer
// capacity allows"); the rest waits here.
import { EventEmitter } from 'node:events';
import { SAMPLE_RATE } from '../airplay/raop/clock.js';
import { serverMicros } from '../shared/server-clock.js';
import type { MemberOptions, NowPlaying, TimelineContext, TimelineMember, TimelineMemberEvents } from '../shared/timeline-member.js';
import type { SendspinConnection } from './connection.js';
import { encodeAudioChunk, groupUpdate, playerCommand, serverState, streamClear, streamEnd, streamStart, type AudioFormat } from './protocol.js';

/** What a member sends: the group stream's own PCM (s16le is the spec's PCM byte order). */
export const STREAM_FORMAT: AudioFormat = { codec: 'pcm', sample_rate: SAMPLE_RATE, channels: 2, bit_depth: 16 };
const BYTES_PER_FRAME = 4;

const sameFormat = (a: AudioFormat, b: AudioFormat): boolean => a.codec === b.codec && a.sample_rate === b.sample_rate && a.channels === b.channels && a.bit_depth === b.bit_depth;
const describeFormat = (f: AudioFormat): string => `${f.codec} ${f.sample_rate} Hz ${f.bit_depth}-bit ${f.channels} ch`;

interface Queued {
  frame: number;
  pcm: Buffer;
}

export class SendspinMember extends EventEmitter<TimelineMemberEvents> implements TimelineMember {
  readonly name: string;
  private delayUs: bigint;
  private readonly capacity: number;
  private readonly commands: string[];
  private readonly queue: Queued[] = [];
  /** Chunks sent and not yet played out: [end µs, bytes]. */
  private readonly inBuffer: { endUs: number; bytes: number }[] = [];
  private buffered = 0;
  private started = false;
  private ended = false;
  private timer: NodeJS.Timeout | null = null;
  private playing: NowPlaying | null = null;
  private readonly onGone = (why: string) => {
    if (this.ended) return;
    this.ended = true;
    this.clearTimer();
    this.emit('error', new Error(`Sendspin player ${this.name} left: ${why}`));
  };

  constructor(
    readonly id: string,
    private readonly conn: SendspinConnection,
    private readonly ctx: TimelineContext,
    opts: MemberOptions = {},
  ) {
    super();
    const support = conn.hello?.['player@v1_support'];
    if (!support) throw new Error(`Sendspin client ${id} has no player role`);
    this.name = conn.hello?.name || id;
    if (!support.supported_formats.some((f) => sameFormat(f, STREAM_FORMAT))) {
      throw new Error(`Sendspin player ${this.name} does not take ${describeFormat(STREAM_FORMAT)} (it lists ${support.supported_formats.map(describeFormat).join(', ')})`);
    }
    this.capacity = support.buffer_capacity;
    this.commands = support.supported_commands;
    this.delayUs = BigInt(Math.round((opts.delayMs ?? 0) * 1000));
    conn.once('gone', this.onGone);
    if (opts.volume !== undefined || opts.muted !== undefined) void this.setVolume(opts.volume ?? conn.volume / 100, opts.muted ?? conn.muted);
  }

  /** Server time (µs) at which timeline frame `frame` is heard on this member. */
  playUs(frame: number): number {
    const ns = this.ctx.timeline.nsAtFrames(frame + this.ctx.latency) + this.delayUs * 1000n;
    return Number((ns + 500n) / 1000n);
  }

  sendAt(pcm: Buffer, frame: number): void {
    if (this.ended) return;
    if (!this.started) {
      this.started = true;
      this.conn.send(streamStart({ player: STREAM_FORMAT }));
      this.conn.send(groupUpdate({ playback_state: 'playing' }));
    }
    this.queue.push({ frame, pcm });
    this.pump();
  }

  async flush(nextFrame: number): Promise<void> {
    if (this.ended) return;
    this.clearTimer();
    this.queue.length = 0;
    this.inBuffer.length = 0;
    this.buffered = 0;
    this.started = false;
    this.conn.send(streamClear(['player']));
    // Progress stops where the audio stops (spec: progress is sent on every play state change).
    if (this.playing) this.sendMetadata(this.playing, nextFrame, 0);
  }

  resume(frame: number): void {
    if (this.playing) this.sendMetadata(this.playing, frame, 1000);
  }

  async setVolume(level: number, muted: boolean): Promise<void> {
    if (this.ended) return;
    const volume = Math.max(0, Math.min(100, Math.round(level * 100)));
    if (this.commands.includes('volume')) this.conn.send(playerCommand({ command: 'volume', volume }));
    if (this.commands.includes('mute')) this.conn.send(playerCommand({ command: 'mute', mute: muted }));
  }

  setDelay(ms: number): void {
    this.delayUs = BigInt(Math.round(ms * 1000));
  }

  nowPlaying(info: NowPlaying): void {
    this.playing = info;
    if (!this.ended) this.sendMetadata(info, info.frame, 1000);
  }

  async stop(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.clearTimer();
    this.queue.length = 0;
    this.conn.off('gone', this.onGone);
    this.conn.send(streamEnd());
    this.conn.send(groupUpdate({ playback_state: 'stopped' }));
  }

  /** Sends what fits in the player's buffer; wakes when the oldest chunk sent has played. */
  private pump(): void {
    this.clearTimer();
    const now = serverMicros();
    while (this.inBuffer.length && this.inBuffer[0]!.endUs <= now) this.buffered -= this.inBuffer.shift()!.bytes;
    while (this.queue.length) {
      const next = this.queue[0]!;
      if (this.buffered + next.pcm.length > this.capacity && this.inBuffer.length) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, (this.inBuffer[0]!.endUs - now) / 1000));
        return;
      }
      this.queue.shift();
      const startUs = this.playUs(next.frame);
      const endUs = startUs + Math.round((next.pcm.length / BYTES_PER_FRAME / SAMPLE_RATE) * 1e6);
      // A chunk that would only be heard in the past is dropped by the player anyway.
      if (endUs <= now) continue;
      this.conn.sendBinary(encodeAudioChunk(startUs, next.pcm));
      this.inBuffer.push({ endUs, bytes: next.pcm.length });
      this.buffered += next.pcm.length;
    }
  }

  private sendMetadata(info: NowPlaying, frame: number, speed: number): void {
    if (this.conn.has('metadata')) {
      // The position of `frame` is true when that frame is heard.
      const progress = info.position + (frame - info.frame) / SAMPLE_RATE;
      this.conn.send(
        serverState({
          metadata: {
            timestamp: this.playUs(frame),
            title: info.title ?? null,
            artist: info.artist ?? null,
            album: info.album ?? null,
            artwork_url: info.artUrl ?? null,
            progress: { track_progress: Math.max(0, Math.round(progress * 1000)), track_duration: info.duration ? Math.round(info.duration * 1000) : 0, playback_speed: speed },
          },
        }),
      );
    }
    this.conn.send(groupUpdate({ playback_state: speed ? 'playing' : 'stopped' }));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
