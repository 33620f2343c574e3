// The AirPlay (RAOP) driver: one Receiver per speaker, wrapping RaopSession. A load opens a RAOP
// session and streams the item decoded by ffmpeg (any input → s16le 44.1 kHz stereo) from
// `startAt`; pause FLUSHes (the speaker drops its buffer) and keeps the audible position; play
// restarts decoding from there; seek flushes and restarts decoding at the new position; stop
// TEARDOWNs. The speaker plays each packet `latency` (2 s) after it is sent, so the status says
// 'playing' only once the first packet is audible, and positions are what is heard. A speaker with
// a password gets the one from ConnectOptions (RTSP Digest); track info, cover art and progress go
// to the speaker's display with SET_PARAMETER when each item's audio starts, progress again after
// every seek and resume. Gapless: an item given to preload() is decoded into the same RTP stream
// right after the current one's last frame (no TEARDOWN, no new session, no FLUSH), and when that
// frame is heard the driver reports the old item finished and the new one playing.
import { EventEmitter } from 'node:events';
import { PCM_BYTES_PER_PACKET } from './raop/alac.js';
import { SAMPLE_RATE, FRAMES_PER_PACKET } from './raop/clock.js';
import { fetchArtwork, sendNowPlaying } from './raop/metadata.js';
import { exitCode, failure, startDecoder, stopDecoder } from './raop/decoder.js';
import { explain, levelToDb, type AirPlayDriverOptions, type Decoder, type Playing, type Upcoming } from './driver-state.js';
import { RtspClient, type RaopCodec } from './raop/rtsp.js';
import { RaopSession } from './raop/sender.js';
import { type Capabilities, type IdleReason, type LoadRequest, type Receiver, type ReceiverDescriptor, type ReceiverEvents, type ReceiverStatus } from '../types.js';
import { codecFor, refusalFor } from './describe.js';

export { levelToDb, type AirPlayDriverOptions } from './driver-state.js';

export class AirPlayReceiver extends EventEmitter<ReceiverEvents> implements Receiver {
  readonly id: string;
  readonly capabilities: Capabilities = { seek: true, volume: true, pause: true, subtitles: false };
  private readonly name: string;
  private st: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  private cur: Playing | undefined;
  private closed = false;
  private loads = 0;

  constructor(private readonly descriptor: ReceiverDescriptor, private readonly opts: AirPlayDriverOptions = {}) {
    super();
    this.id = descriptor.id;
    this.name = descriptor.name;
  }

  status(): ReceiverStatus {
    const s = this.st;
    if (s.state === 'playing' && this.cur) return { ...s, position: this.position(this.cur), at: Date.now(), volume: { ...s.volume } };
    return { ...s, volume: { ...s.volume } };
  }

  private set(next: Partial<ReceiverStatus>, idleReason?: IdleReason): void {
    const { idleReason: _old, error: _err, preloaded: _pre, ...rest } = this.st;
    this.st = { ...rest, at: Date.now(), ...next, ...(idleReason ? { idleReason } : {}) };
    this.emit('status', this.status());
  }

  private refuse(): void {
    if (this.closed) throw new Error(`the driver for ${this.name} is closed`);
    const why = refusalFor(this.id);
    if (why) throw new Error(`${this.name} ${why}`);
  }

  /** Checks the speaker answers RTSP (OPTIONS), and that we can play to it. */
  async connect(): Promise<void> {
    this.refuse();
    const rtsp = await RtspClient.connect(this.descriptor.host, this.descriptor.port, this.opts.timeoutMs ?? 5000, this.opts.password);
    try {
      await rtsp.options();
    } catch (e) {
      throw explain(e, this.name);
    } finally {
      rtsp.close();
    }
  }

  /** ALAC unless the speaker's TXT `cn` lists PCM without ALAC (describe.ts codecFor). */
  private codec(): RaopCodec {
    return this.opts.codec ?? codecFor(this.id);
  }

  private log(msg: string, fields: object = {}): void {
    this.opts.log?.(`airplay driver: ${msg}`, { receiver: this.id, ...fields });
  }

  private db(): number {
    return this.st.volume.muted ? -144 : levelToDb(this.st.volume.level);
  }

  /** Audible media position of the item now. */
  private position(p: Playing): number {
    if (this.st.state !== 'playing' || p.segPackets < 0) return this.st.position;
    const heard = Math.max(0, (performance.now() - p.audibleAt) / 1000);
    const sent = ((p.session.packetsSent - p.segPackets) * FRAMES_PER_PACKET) / SAMPLE_RATE;
    const pos = p.segStart + Math.min(heard, sent);
    return p.req.duration !== null ? Math.min(pos, p.req.duration) : pos;
  }

  async load(req: LoadRequest): Promise<void> {
    this.refuse();
    await this.end(this.cur);
    const token = ++this.loads;
    this.set({ state: 'loading', position: req.startAt, rate: 0, duration: req.duration });
    const artwork = fetchArtwork(req.metadata.artUrl);
    let session: RaopSession;
    try {
      session = await RaopSession.open({
        host: this.descriptor.host,
        port: this.descriptor.port,
        volume: this.db(),
        timeoutMs: this.opts.timeoutMs ?? 5000,
        codec: this.codec(),
        ...(this.opts.password !== undefined ? { password: this.opts.password } : {}),
      });
    } catch (e) {
      const err = explain(e, this.name);
      if (token === this.loads) this.set({ state: 'idle', rate: 0, error: err.message }, 'error');
      throw err;
    }
    if (token !== this.loads || this.closed) {
      await session.stop().catch(() => undefined);
      throw new Error(`load of ${req.metadata.title} on ${this.name} was replaced`);
    }
    const p: Playing = { req, session, segStart: req.startAt, segPackets: -1, audibleAt: 0, gen: 0, decoder: undefined, wake: undefined, timer: undefined, done: false, streaming: false, artwork, announced: false, pending: undefined, upcoming: undefined, carry: Buffer.alloc(0) };
    this.cur = p;
    session.on('error', (e: Error) => this.lost(p, e));
    this.startDecoder(p, req.startAt);
    const first = this.firstAudio(p);
    this.stream(p);
    await first;
  }

  /**
   * Feeds the session from the current decoder until the item's audio is all sent. Called again
   * by a resume or seek that comes after that (in the item's last seconds, still being heard).
   */
  private stream(p: Playing): void {
    p.streaming = true;
    p.session
      .play(this.source(p))
      .then(() => {
        p.streaming = false;
        return this.ended(p);
      })
      .catch((e: Error) => this.fail(p, `${this.name} stopped playing: ${e.message}`));
  }

  /** Resolves when the segment's first packet went out; rejects when the decoder fails first. */
  private firstAudio(p: Playing): Promise<void> {
    const timeoutMs = this.opts.firstAudioTimeoutMs ?? 20_000;
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
    this.spawnDecoder(p, p.req.url, at);
    p.carry = Buffer.alloc(0); // the old position's partial packet is not played
    p.segStart = at;
    p.segPackets = -1;
    const w = p.wake;
    p.wake = undefined;
    w?.();
  }

  private spawnDecoder(p: Playing, url: string, at: number): void {
    p.gen++;
    p.decoder = this.decoder(url, at, p.gen);
  }

  private decoder(url: string, at: number, gen: number, next?: Upcoming): Decoder {
    return startDecoder(this.opts.ffmpegPath ?? 'ffmpeg', url, at, gen, next);
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
   * PCM for the session, cut here into whole packets: the session's own packetizer then never
   * holds audio of ours, so a pause or seek drops everything not yet sent (its leftovers would
   * otherwise play after the FLUSH, ~2 s ahead of what was heard). Follows seeks and resumes;
   * across a gapless advance the partial last packet of one item is completed by the next one.
   */
  private async *source(p: Playing): AsyncGenerator<Buffer> {
    while (!p.done) {
      const d = p.decoder;
      if (!d) {
        await new Promise<void>((r) => (p.wake = r));
        continue;
      }
      // Frames of earlier audio in the partial packet when this decoder's first PCM came.
      let head: number | undefined;
      const marked = (): boolean => (d.next ? d.next.frame !== undefined : p.segPackets >= 0);
      for await (const chunk of d.child.stdout! as AsyncIterable<Buffer>) {
        if (d.gen !== p.gen || p.done) break;
        head ??= Math.floor(p.carry.length / 4);
        const b = p.carry.length ? Buffer.concat([p.carry, chunk]) : chunk;
        const n = b.length - (b.length % PCM_BYTES_PER_PACKET);
        p.carry = Buffer.from(b.subarray(n));
        if (n === 0) continue;
        const first = !marked();
        for (let off = 0; off < n && d.gen === p.gen && !p.done; off += PCM_BYTES_PER_PACKET) {
          yield b.subarray(off, off + PCM_BYTES_PER_PACKET);
          // The packet holding our first frame went out (the session asks for the next one only
          // then): its timeline frame is read back, not guessed before it was stamped.
          if (first && off === 0 && d.gen === p.gen && !p.done) this.starts(p, d, p.session.lastFrame + head, p.session.packetsSent - 1);
        }
        if (d.gen !== p.gen || p.done) break;
      }
      if (d.gen !== p.gen || p.done) continue; // replaced (seek, pause) or stopped
      // The decoder's output ended: the end of the item, or a failure (only worth waiting for
      // its exit code when it gave no audio: a preloaded item must follow without delay).
      const code = marked() || head !== undefined ? 0 : await exitCode(d);
      if (code !== 0 && !d.killed) {
        const why = failure(d, code);
        const title = (d.next?.req ?? p.req).metadata.title;
        if (!d.next) return this.fail(p, `${this.name} cannot play ${title}: ${why}`);
        // The preloaded item cannot be decoded: the heard one just ends; the caller's load reports it.
        this.log('preloaded item failed', { title, why });
        p.upcoming = undefined;
      } else if (p.pending && !p.upcoming) {
        // Gapless: the next item's PCM follows in the same stream.
        const next = p.pending;
        p.pending = undefined;
        p.upcoming = next;
        p.gen++;
        p.decoder = next.decoder ?? this.decoder(next.req.url, next.req.startAt, p.gen, next);
        p.decoder.gen = p.gen;
        continue;
      }
      // The end of the stream: what is left goes as its last, short packet.
      const rest = p.carry.subarray(0, p.carry.length - (p.carry.length % 4));
      p.carry = Buffer.alloc(0);
      if (rest.length > 0) {
        // A short last packet is held by the session's packetizer until this generator ends: its
        // frame is the one the next packet would get now.
        if (!marked() && head !== undefined) this.starts(p, d, p.session.frameNow() + head, p.session.packetsSent);
        yield rest;
      }
      return;
    }
  }

  /**
   * The decoder's first frame is timeline frame `frame`, in the packet sent after `packets` others:
   * a segment's start, or the preloaded item's.
   */
  private starts(p: Playing, d: Decoder, frame: number, packets: number): void {
    const s = p.session;
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

  /**
   * Tells the speaker's display about the segment starting now: track info and art once per item
   * (tagged with the item's first RTP timestamp, which shairport-sync uses to tie them together),
   * progress every time. Failures are for the log; a lost connection ends the session anyway.
   */
  private announce(p: Playing, frame = p.session.frameNow()): void {
    const s = p.session;
    const item = p.announced ? undefined : { metadata: p.req.metadata, artwork: p.artwork };
    p.announced = true;
    sendNowPlaying(s.rtsp, { rtp: s.timeline.rtp0 + frame, position: p.segStart, duration: p.req.duration, ...(item ? { item } : {}) }, (m, f) => this.log(m, f), () => !p.done);
  }


  /** All of the item was sent: wait until it is heard, then close the session. */
  private async ended(p: Playing): Promise<void> {
    if (p.done || this.cur !== p) return;
    const gen = p.gen;
    const ms = Number(p.session.playedOutAtNs() - p.session.clock.nowNs()) / 1e6;
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

  /** The speaker went away (RTSP connection lost). */
  private lost(p: Playing, e: Error): void {
    if (p.done || this.cur !== p) return;
    const position = this.position(p);
    this.finish(p);
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

  /** Ends an item: decoder stopped, session torn down. */
  private async end(p: Playing | undefined): Promise<void> {
    if (!p) return;
    this.finish(p);
    await p.session.stop().catch(() => undefined);
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
    await p.session.pause().catch((e: Error) => this.lost(p, e));
    if (this.cur !== p) return;
    this.set({ state: 'paused', position, rate: 0 });
  }

  async play(): Promise<void> {
    const p = this.current('resume');
    if (this.st.state !== 'paused') return;
    this.set({ state: 'buffering', rate: 0 });
    this.startDecoder(p, this.st.position);
    p.session.resume();
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
    await p.session.pause().catch((e: Error) => this.lost(p, e));
    if (this.cur !== p) return;
    this.set({ state: 'buffering', position: to, rate: 0 });
    this.startDecoder(p, to);
    p.session.resume();
    if (!p.streaming) this.stream(p);
  }

  async stop(): Promise<void> {
    const p = this.cur;
    if (!p) {
      // A load still opening its session is dropped when it gets there.
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

  private async applyVolume(): Promise<void> {
    const p = this.cur;
    if (p && !p.done) await p.session.setVolume(this.db()).catch((e: unknown) => Promise.reject(explain(e, this.name)));
    this.emit('status', this.status());
  }

  /** Ends the item (TEARDOWN) and forgets the speaker. */
  async close(): Promise<void> {
    this.closed = true;
    await this.end(this.cur);
  }
}

export function connectReceiver(descriptor: ReceiverDescriptor, opts?: AirPlayDriverOptions): Receiver {
  return new AirPlayReceiver(descriptor, opts);
}
