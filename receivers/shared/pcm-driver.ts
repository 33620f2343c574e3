// A Receiver that decodes each item with ffmpeg (any input → s16le 44.1 kHz stereo) and plays the
// PCM to a stream (pcm-stream.ts): one AirPlay speaker's RAOP session (airplay/driver.ts) or a
// group's members on one timeline (group/receiver.ts). A load opens a stream and streams the item
// from `startAt`; pause FLUSHes (the speakers drop their buffer) and keeps the audible position;
// play restarts decoding from there; seek flushes and restarts decoding at the new position; stop
// ends the stream. The stream is heard `latency` (2 s) after it is sent, so the status says
// 'playing' only once the first packet is audible, and positions are what is heard. Track info,
// cover art and progress go to displays when each item's audio starts, progress again after every
// seek and resume. Gapless: an item given to preload() is decoded into the same stream right after
// the current one's last frame (no new stream, no FLUSH), and when that frame is heard the driver
// reports the old item finished and the new one playing.
import { EventEmitter } from 'node:events';
import { SAMPLE_RATE, FRAMES_PER_PACKET } from '../airplay/raop/clock.js';
import { fetchArtwork } from '../airplay/raop/metadata.js';
import { startDecoder, stopDecoder } from '../airplay/raop/decoder.js';
import type { Capabilities, IdleReason, LoadRequest, Receiver, ReceiverEvents, ReceiverStatus } from '../types.js';
import { feed } from './pcm-feed.js';
import type { Decoder, Playing, PcmStream, Upcoming } from './pcm-stream.js';

export interface PcmDriverOptions {
  /** The ffmpeg program (default 'ffmpeg'). */
  ffmpegPath?: string;
  /** How long load() waits for the first decoded audio (default 20 s). */
  firstAudioTimeoutMs?: number;
  log?: (msg: string, fields?: object) => void;
}

export abstract class PcmDriver extends EventEmitter<ReceiverEvents> implements Receiver {
  readonly capabilities: Capabilities = { seek: true, volume: true, pause: true, subtitles: false };
  protected st: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  protected cur: Playing | undefined;
  protected closed = false;
  private loads = 0;

  constructor(
    readonly id: string,
    protected readonly name: string,
    private readonly popts: PcmDriverOptions,
    /** For log lines: 'airplay driver', 'group'. */
    private readonly logName: string,
  ) {
    super();
  }

  abstract connect(): Promise<void>;
  /** Opens the stream of a load, at the volume of the status. */
  protected abstract openStream(): Promise<PcmStream>;

  /** Throws when the driver cannot play now (closed, a kind's refusal). */
  protected refuse(): void {
    if (this.closed) throw new Error(`the driver for ${this.name} is closed`);
  }

  /** A readable error for a failure to open the stream. */
  protected explain(e: unknown): Error {
    return e instanceof Error ? e : new Error(String(e));
  }

  status(): ReceiverStatus {
    const s = this.st;
    if (s.state === 'playing' && this.cur) return { ...s, position: this.position(this.cur), at: Date.now(), volume: { ...s.volume } };
    return { ...s, volume: { ...s.volume } };
  }

  protected set(next: Partial<ReceiverStatus>, idleReason?: IdleReason): void {
    const { idleReason: _old, error: _err, preloaded: _pre, ...rest } = this.st;
    this.st = { ...rest, at: Date.now(), ...next, ...(idleReason ? { idleReason } : {}) };
    this.emit('status', this.status());
  }

  protected log(msg: string, fields: object = {}): void {
    this.popts.log?.(`${this.logName}: ${msg}`, { receiver: this.id, ...fields });
  }

  /** Audible media position of the item now. */
  private position(p: Playing): number {
    if (this.st.state !== 'playing' || p.segPackets < 0) return this.st.position;
    const heard = Math.max(0, (performance.now() - p.audibleAt) / 1000);
    const sent = ((p.stream.packetsSent - p.segPackets) * FRAMES_PER_PACKET) / SAMPLE_RATE;
    const pos = p.segStart + Math.min(heard, sent);
    return p.req.duration !== null ? Math.min(pos, p.req.duration) : pos;
  }

  async load(req: LoadRequest): Promise<void> {
    this.refuse();
    await this.end(this.cur);
    const token = ++this.loads;
    this.set({ state: 'loading', position: req.startAt, rate: 0, duration: req.duration });
    const artwork = fetchArtwork(req.metadata.artUrl);
    let stream: PcmStream;
    try {
      stream = await this.openStream();
    } catch (e) {
      const err = this.explain(e);
      if (token === this.loads) this.set({ state: 'idle', rate: 0, error: err.message }, 'error');
      throw err;
    }
    if (token !== this.loads || this.closed) {
      await stream.stop().catch(() => undefined);
      throw new Error(`load of ${req.metadata.title} on ${this.name} was replaced`);
    }
    const p: Playing = { req, stream, segStart: req.startAt, segPackets: -1, audibleAt: 0, gen: 0, decoder: undefined, wake: undefined, timer: undefined, done: false, streaming: false, artwork, announced: false, pending: undefined, upcoming: undefined, carry: Buffer.alloc(0) };
    this.cur = p;
    stream.on('error', (e: Error) => this.lost(p, e));
    this.startDecoder(p, req.startAt);
    const first = this.firstAudio(p);
    this.stream(p);
    await first;
  }

  /**
   * Feeds the stream from the current decoder until the item's audio is all sent. Called again
   * by a resume or seek that comes after that (in the item's last seconds, still being heard).
   */
  private stream(p: Playing): void {
    p.streaming = true;
    const hooks = { starts: this.starts.bind(this), fail: this.fail.bind(this), log: this.log.bind(this), decoder: this.decoder.bind(this), name: this.name };
    p.stream
      .play(feed(p, hooks))
      .then(() => {
        p.streaming = false;
        return this.ended(p);
      })
      .catch((e: Error) => this.fail(p, `${this.name} stopped playing: ${e.message}`));
  }

  /** Resolves when the segment's first packet went out; rejects when the decoder fails first. */
  private firstAudio(p: Playing): Promise<void> {
    const timeoutMs = this.popts.firstAudioTimeoutMs ?? 20_000;
    return new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const check = (): void => {
        if (p.segPackets >= 0) return resolve();
        if (p.done || this.cur !== p) return reject(new Error(this.st.error ?? `${this.name}: playback ended before any audio`));
        if (performance.now() - started > timeoutMs) return reject(new Error(`${this.name}: no audio decoded within ${timeoutMs} ms`));
        setTimeout(check, 20);
      };
      check();
    });
  }

  /** Decodes the heard item from `at` (load, seek, resume): a new segment. */
  private startDecoder(p: Playing, at: number): void {
    p.gen++;
    p.decoder = this.decoder(p.req.url, at, p.gen);
    p.carry = Buffer.alloc(0); // the old position's partial packet is not played
    p.segStart = at;
    p.segPackets = -1;
    const w = p.wake;
    p.wake = undefined;
    w?.();
  }

  private decoder(url: string, at: number, gen: number, next?: Upcoming): Decoder {
    return startDecoder(this.popts.ffmpegPath ?? 'ffmpeg', url, at, gen, next);
  }

  /** A preloaded item, its decoder already started (it waits on a full pipe until needed). */
  private prepare(req: LoadRequest, artwork = fetchArtwork(req.metadata.artUrl)): Upcoming {
    const u: Upcoming = { req, artwork };
    u.decoder = this.decoder(req.url, req.startAt, -1, u);
    return u;
  }

  private killDecoder(p: Playing): void {
    const d = p.decoder;
    p.decoder = undefined;
    p.gen++;
    stopDecoder(d);
  }

  /**
   * The decoder's first frame is timeline frame `frame`, in the packet sent after `packets` others:
   * a segment's start, or the preloaded item's.
   */
  private starts(p: Playing, d: Decoder, frame: number, packets: number): void {
    const s = p.stream;
    const ms = Number(s.timeline.nsAtFrames(frame + s.latency) - s.clock.nowNs()) / 1e6;
    if (d.next) this.nextStarts(p, d.next, frame, packets, ms);
    else this.firstPacket(p, frame, packets, ms);
  }

  private nextStarts(p: Playing, u: Upcoming, frame: number, packets: number, ms: number): void {
    u.frame = frame;
    u.packets = packets;
    u.audibleAt = performance.now() + ms;
    u.timer = setTimeout(() => this.advance(p, u), Math.max(0, ms));
  }

  /** The first frame of the preloaded item is heard: it is the item now. */
  private advance(p: Playing, u: Upcoming): void {
    if (p.done || this.cur !== p || p.upcoming !== u) return;
    p.upcoming = undefined;
    const old = p.req;
    this.set({ state: 'idle', position: old.duration ?? this.position(p), rate: 0, preloaded: u.req.url }, 'finished');
    p.req = u.req;
    p.segStart = u.req.startAt;
    p.segPackets = u.packets!;
    p.audibleAt = u.audibleAt!;
    p.artwork = u.artwork;
    p.announced = false;
    this.set({ state: 'playing', position: u.req.startAt, rate: 1, duration: u.req.duration });
    this.announce(p, u.frame);
  }

  /** Gapless: the item after the current one, decoded into the same stream when this one ends. */
  preload(next: LoadRequest): void {
    const p = this.cur;
    if (!p || p.done) return;
    if (p.pending?.req.url === next.url) return;
    stopDecoder(p.pending?.decoder);
    p.pending = this.prepare(next);
  }

  /**
   * A pause or seek before the preloaded item is heard: the heard item continues from where it
   * is told to, and the preloaded one follows it again when it ends.
   */
  private unqueue(p: Playing): void {
    const u = p.upcoming;
    if (!u) return;
    if (u.timer) clearTimeout(u.timer);
    p.upcoming = undefined;
    this.log('preloaded item put back: the current one goes on first', { title: u.req.metadata.title });
    // Its decoder (p.decoder, killed by the caller) has been read from: a fresh one for next time.
    p.pending ??= this.prepare(u.req, u.artwork);
  }

  /** The segment's first frame went out as timeline `frame`: it is heard in `latencyMs`. */
  private firstPacket(p: Playing, frame: number, packets: number, latencyMs: number): void {
    p.segPackets = packets;
    p.audibleAt = performance.now() + latencyMs;
    this.announce(p, frame);
    if (this.st.state === 'loading' || this.st.state === 'buffering') {
      if (p.timer) clearTimeout(p.timer);
      p.timer = setTimeout(() => {
        p.timer = undefined;
        if (this.cur === p && !p.done && (this.st.state === 'loading' || this.st.state === 'buffering')) this.set({ state: 'playing', position: p.segStart, rate: 1 });
      }, latencyMs);
    }
  }

  /** Tells displays about the segment starting now: track info and art once per item, progress every time. */
  private announce(p: Playing, frame = p.stream.frameNow()): void {
    const item = p.announced ? undefined : { metadata: p.req.metadata, artwork: p.artwork };
    p.announced = true;
    p.stream.nowPlaying({ frame, position: p.segStart, duration: p.req.duration, ...(item ? { item } : {}) });
  }

  /** All of the item was sent: wait until it is heard, then close the stream. */
  private async ended(p: Playing): Promise<void> {
    if (p.done || this.cur !== p) return;
    const gen = p.gen;
    const ms = Number(p.stream.playedOutAtNs() - p.stream.clock.nowNs()) / 1e6;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    // A pause or seek while the end was still to be heard: the item goes on from there.
    if (p.done || this.cur !== p || p.gen !== gen || p.streaming) return;
    const position = p.req.duration ?? this.position(p);
    await this.end(p);
    this.set({ state: 'idle', position, rate: 0 }, 'finished');
  }

  private fail(p: Playing, message: string): void {
    if (p.done || this.cur !== p) return;
    void this.end(p);
    this.set({ state: 'idle', rate: 0, error: message }, 'error');
  }

  /** The stream is lost (its speaker went away). */
  private lost(p: Playing, e: Error): void {
    if (p.done || this.cur !== p) return;
    const position = this.position(p);
    this.finish(p);
    // A group's stream outlives a lost member; once it is lost itself nothing may rejoin it.
    void p.stream.stop().catch(() => undefined);
    const why = `${this.name} went away: ${e.message}`;
    this.set({ state: 'idle', position, rate: 0, error: why }, 'gone');
    this.emit('gone', why);
  }

  private finish(p: Playing): void {
    p.done = true;
    if (p.timer) clearTimeout(p.timer);
    if (p.upcoming?.timer) clearTimeout(p.upcoming.timer);
    p.upcoming = undefined;
    stopDecoder(p.pending?.decoder);
    p.pending = undefined;
    this.killDecoder(p);
    const w = p.wake;
    p.wake = undefined;
    w?.();
    if (this.cur === p) this.cur = undefined;
  }

  /** Ends an item: decoder stopped, stream ended. */
  protected async end(p: Playing | undefined): Promise<void> {
    if (!p) return;
    this.finish(p);
    await p.stream.stop().catch(() => undefined);
  }

  private current(what: string): Playing {
    const p = this.cur;
    if (!p || p.done) throw new Error(`nothing is playing on ${this.name} to ${what}`);
    return p;
  }

  async pause(): Promise<void> {
    const p = this.current('pause');
    if (this.st.state === 'paused') return;
    const position = this.position(p);
    if (p.timer) clearTimeout(p.timer);
    this.unqueue(p);
    this.killDecoder(p);
    await p.stream.pause().catch((e: Error) => this.lost(p, e));
    if (this.cur !== p) return;
    this.set({ state: 'paused', position, rate: 0 });
  }

  async play(): Promise<void> {
    const p = this.current('resume');
    if (this.st.state !== 'paused') return;
    this.set({ state: 'buffering', rate: 0 });
    this.startDecoder(p, this.st.position);
    p.stream.resume();
    if (!p.streaming) this.stream(p);
  }

  async seek(seconds: number): Promise<void> {
    const p = this.current('seek');
    const to = Math.max(0, p.req.duration !== null ? Math.min(seconds, p.req.duration) : seconds);
    if (this.st.state === 'paused') {
      this.set({ position: to });
      return;
    }
    if (p.timer) clearTimeout(p.timer);
    this.unqueue(p);
    this.killDecoder(p);
    await p.stream.pause().catch((e: Error) => this.lost(p, e));
    if (this.cur !== p) return;
    this.set({ state: 'buffering', position: to, rate: 0 });
    this.startDecoder(p, to);
    p.stream.resume();
    if (!p.streaming) this.stream(p);
  }

  async stop(): Promise<void> {
    const p = this.cur;
    if (!p) {
      // A load still opening its stream is dropped when it gets there.
      if (this.st.state === 'loading') {
        this.loads++;
        this.set({ state: 'idle', rate: 0 }, 'stopped');
      }
      return;
    }
    const position = this.position(p);
    await this.end(p);
    this.set({ state: 'idle', position, rate: 0 }, 'stopped');
  }

  async setVolume(level: number): Promise<void> {
    const l = Math.min(1, Math.max(0, level));
    this.st = { ...this.st, volume: { ...this.st.volume, level: l } };
    await this.applyVolume();
  }

  async setMuted(muted: boolean): Promise<void> {
    this.st = { ...this.st, volume: { ...this.st.volume, muted } };
    await this.applyVolume();
  }

  protected async applyVolume(): Promise<void> {
    const p = this.cur;
    if (p && !p.done) await p.stream.setVolume(this.st.volume.level, this.st.volume.muted).catch((e: unknown) => Promise.reject(this.explain(e)));
    this.emit('status', this.status());
  }

  /** Ends the item and forgets the device. */
  async close(): Promise<void> {
    this.closed = true;
    await this.end(this.cur);
  }
}
