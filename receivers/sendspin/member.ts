// A Sendspin player as a member of a synced stream (receivers/shared/timeline-member.ts): each
// packet of timeline frame f goes out as a binary audio chunk stamped with the server time (µs)
// at which it is heard, timeline.nsAtFrames(f + latency) + delay — the same instant an AirPlay
// speaker of the group plays it. Chunks are sent only as far ahead as the player's
// buffer_capacity holds (spec: "the server sends audio chunks as far ahead as the client's buffer
// capacity allows"); the rest waits here.
import { EventEmitter } from 'node:events';
import { SAMPLE_RATE } from '../airplay/raop/clock.js';
import { serverClock, serverMicros } from '../shared/server-clock.js';
import type { MemberOptions, NowPlaying, TimelineContext, TimelineMember, TimelineMemberEvents } from '../shared/timeline-member.js';
import type { SendspinConnection } from './connection.js';
import { ArtworkSender } from './artwork.js';
import { FlacEncoder } from './flac.js';
import { encodeAudioChunk, groupUpdate, playerCommand, serverState, streamClear, streamEnd, streamStart, type AudioFormat } from './protocol.js';

/** What a member sends: the group stream's own PCM (s16le is the spec's PCM byte order)… */
export const STREAM_FORMAT: AudioFormat = { codec: 'pcm', sample_rate: SAMPLE_RATE, channels: 2, bit_depth: 16 };
/** …or, to a player that takes no PCM, the same samples in FLAC (flac.ts). */
export const FLAC_FORMAT: AudioFormat = { codec: 'flac', sample_rate: SAMPLE_RATE, channels: 2, bit_depth: 16 };
const BYTES_PER_FRAME = 4;
/** No packet for this long: the stream paused or ended (packets come every 8 ms while playing). */
const FLAC_IDLE_MS = 200;

const sameFormat = (a: AudioFormat, b: AudioFormat): boolean => a.codec === b.codec && a.sample_rate === b.sample_rate && a.channels === b.channels && a.bit_depth === b.bit_depth;
const describeFormat = (f: AudioFormat): string => `${f.codec} ${f.sample_rate} Hz ${f.bit_depth}-bit ${f.channels} ch`;

interface Queued {
  /** Timeline frame of the chunk's first sample, and how many frames it holds. */
  frame: number;
  frames: number;
  data: Buffer;
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
  private readonly format: AudioFormat;
  private flac: FlacEncoder | null = null;
  /** Encoders still running: the current one, and ended ones flushing their last frame. */
  private readonly encoders = new Set<FlacEncoder>();
  private flacIdle: NodeJS.Timeout | null = null;
  /** The next timeline frame the FLAC encoder expects (a gap restarts it). */
  private flacNext = 0;
  private codecHeader: string | null = null;
  private readonly artwork: ArtworkSender | null = null;
  private readonly onGone = (why: string) => {
    if (this.ended) return;
    this.ended = true;
    this.clearTimer();
    this.closeFlac();
    this.artwork?.close();
    this.conn.off('state', this.onState);
    this.conn.off('requestFormat', this.onRequestFormat);
    this.emit('error', new Error(`Sendspin player ${this.name} left: ${why}`));
  };
  /** Spec "External Source Handling": the player's output is taken by something else; it leaves the stream. */
  private readonly onState = () => {
    if (this.ended || this.conn.state !== 'external_source') return;
    void this.stop().then(() => this.emit('error', new Error(`Sendspin player ${this.name} is in use by an external source`)));
  };
  /** We send one format: a request for another is answered with the stream as it is (spec: the answer is stream/start). */
  private readonly onRequestFormat = () => {
    if (this.started && !this.ended) this.sendStreamStart();
  };

  constructor(
    readonly id: string,
    private readonly conn: SendspinConnection,
    private readonly ctx: TimelineContext,
    opts: MemberOptions = {},
  ) {
    super();
    // Chunks carry server time: the timeline must be laid on the clock client/time answers with.
    if (ctx.clock !== serverClock) throw new Error('a Sendspin member needs a timeline on serverClock (receivers/shared/server-clock.ts)');
    const support = conn.hello?.['player@v1_support'];
    if (!support) throw new Error(`Sendspin client ${id} has no player role`);
    this.name = conn.hello?.name || id;
    const takes = (f: AudioFormat) => support.supported_formats.some((g) => sameFormat(g, f));
    if (takes(STREAM_FORMAT)) this.format = STREAM_FORMAT;
    else if (takes(FLAC_FORMAT)) this.format = FLAC_FORMAT;
    else throw new Error(`Sendspin player ${this.name} does not take ${describeFormat(STREAM_FORMAT)} or ${describeFormat(FLAC_FORMAT)} (it lists ${support.supported_formats.map(describeFormat).join(', ')})`);
    this.capacity = support.buffer_capacity;
    this.commands = support.supported_commands;
    this.delayUs = BigInt(Math.round((opts.delayMs ?? 0) * 1000));
    conn.once('gone', this.onGone);
    conn.on('state', this.onState);
    conn.on('requestFormat', this.onRequestFormat);
    const art = conn.hello?.['artwork@v1_support'];
    if (art && conn.has('artwork')) this.artwork = new ArtworkSender(conn, art.channels);
    if (opts.volume !== undefined || opts.muted !== undefined) void this.setVolume(opts.volume ?? conn.volume / 100, opts.muted ?? conn.muted);
  }

  /** Server time (µs) at which timeline frame `frame` is heard on this member. */
  playUs(frame: number): number {
    const ns = this.ctx.timeline.nsAtFrames(frame + this.ctx.latency) + this.delayUs * 1000n;
    return Number((ns + 500n) / 1000n);
  }

  sendAt(pcm: Buffer, frame: number): void {
    if (this.ended) return;
    const frames = pcm.length / BYTES_PER_FRAME;
    if (this.format.codec === 'flac') {
      if (!this.flac || this.flac.ended || frame !== this.flacNext) this.startFlac(frame);
      this.flac!.write(pcm);
      this.flacNext = frame + frames;
      // The encoder holds the last partial block until its input ends: when packets stop (the end
      // of the queue), end it so that block goes out too; packets that follow start a new one.
      if (this.flacIdle) clearTimeout(this.flacIdle);
      this.flacIdle = setTimeout(() => this.flac?.end(), FLAC_IDLE_MS);
      return;
    }
    if (!this.started) {
      this.started = true;
      this.sendStreamStart();
      this.conn.send(groupUpdate({ playback_state: 'playing' }));
    }
    this.queue.push({ frame, frames, data: pcm });
    this.pump();
  }

  private sendStreamStart(): void {
    this.conn.send(streamStart({ player: this.format.codec === 'flac' && this.codecHeader ? { ...this.format, codec_header: this.codecHeader } : this.format }));
  }

  /** A FLAC stream from timeline frame `base` on; stream/start goes once its header is out. */
  private startFlac(base: number): void {
    // A current encoder that is not ending is cut off (a gap in the frames); an ending one finishes.
    if (this.flac && !this.flac.ended) this.dropEncoder(this.flac);
    const enc = new FlacEncoder();
    this.flac = enc;
    this.encoders.add(enc);
    enc.on('header', (h) => {
      this.codecHeader = h.toString('base64');
      this.started = true;
      this.sendStreamStart();
      this.conn.send(groupUpdate({ playback_state: 'playing' }));
    });
    enc.on('frame', (f) => {
      this.queue.push({ frame: base + f.sample, frames: enc.blockSize, data: f.data });
      this.pump();
    });
    enc.once('close', () => this.encoders.delete(enc));
    enc.on('error', (err) => {
      if (this.ended) return;
      this.ended = true;
      this.clearTimer();
      this.emit('error', new Error(`Sendspin player ${this.name}: ${err.message}`));
    });
  }

  private dropEncoder(enc: FlacEncoder): void {
    enc.removeAllListeners();
    enc.close();
    this.encoders.delete(enc);
  }

  private closeFlac(): void {
    if (this.flacIdle) clearTimeout(this.flacIdle);
    this.flacIdle = null;
    for (const enc of [...this.encoders]) this.dropEncoder(enc);
    this.flac = null;
  }

  async flush(nextFrame: number): Promise<void> {
    if (this.ended) return;
    this.clearTimer();
    this.queue.length = 0;
    this.inBuffer.length = 0;
    this.buffered = 0;
    this.started = false;
    this.closeFlac();
    this.conn.send(streamClear(['player']));
    // Progress stops where the audio stops (spec: progress is sent on every play state change).
    if (this.playing) this.sendMetadata(this.playing, nextFrame, 0);
  }

  resume(frame: number): void {
    if (this.playing) this.sendMetadata(this.playing, frame, 1000);
  }

  async setVolume(level: number, muted: boolean): Promise<void> {
    if (this.ended) return;
    const canMute = this.commands.includes('mute');
    // A player without a mute command is muted by volume 0.
    const volume = muted && !canMute ? 0 : Math.max(0, Math.min(100, Math.round(level * 100)));
    if (this.commands.includes('volume')) this.conn.send(playerCommand({ command: 'volume', volume }));
    if (canMute) this.conn.send(playerCommand({ command: 'mute', mute: muted }));
  }

  setDelay(ms: number): void {
    this.delayUs = BigInt(Math.round(ms * 1000));
  }

  nowPlaying(info: NowPlaying): void {
    this.playing = info;
    if (this.ended) return;
    this.sendMetadata(info, info.frame, 1000);
    void this.artwork?.show(info.artUrl, this.playUs(info.frame));
  }

  async stop(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.clearTimer();
    this.closeFlac();
    this.artwork?.close();
    this.queue.length = 0;
    this.conn.off('gone', this.onGone);
    this.conn.off('state', this.onState);
    this.conn.off('requestFormat', this.onRequestFormat);
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
      if (this.buffered + next.data.length > this.capacity && this.inBuffer.length) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, (this.inBuffer[0]!.endUs - now) / 1000));
        return;
      }
      this.queue.shift();
      const startUs = this.playUs(next.frame);
      const endUs = startUs + Math.round((next.frames / SAMPLE_RATE) * 1e6);
      // A chunk that would only be heard in the past is dropped by the player anyway.
      if (endUs <= now) continue;
      this.conn.sendBinary(encodeAudioChunk(startUs, next.data));
      this.inBuffer.push({ endUs, bytes: next.data.length });
      this.buffered += next.data.length;
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
