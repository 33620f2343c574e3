// The Apple TV driver (AirPlay 1 video and photos over HTTP, docs/protocols.md §4): one Receiver per
// device. A load of video or audio POSTs /play with our signed URL; the TV's own player fetches it.
// /playback-info is polled every second while anything is loaded: it is the truth for state and
// position, and it keeps the play connection busy (Apple TVs stop when it idles, watson/
// airplay-protocol#5). Reverse events only make the next poll come sooner. A photo is fetched
// here and PUT to /photo, then shown for a slideshow interval and reported 'finished', so the
// session moves on to the next photo of the album. Devices that answer 403/470/453 want pairing
// (tvOS 10.2 and later), which we do not do: that is a clear error, never a silent failure.
// Never blocks the event loop; state goes out as 'status' events, a lost device as 'gone'.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { NeedsPasswordError, type ConnectOptions } from '../../types.js';
import type { Capabilities, IdleReason, LoadRequest, Receiver, ReceiverDescriptor, ReceiverEvents, ReceiverStatus } from '../../types.js';
import { AirPlayHttpError, VideoClient } from './client.js';
import { photoForScreen, type Screen } from './jpeg.js';
import { endReason, readPlaybackInfo } from './playback-info.js';
import { appleTvProfiles, profileForModel } from '../profile.js';

export interface VideoDriverOptions extends ConnectOptions {
  /** How often /playback-info is asked while something is loaded (default 1000 ms). */
  pollMs?: number;
  /** How long a photo stays before the next one (default 5 s). */
  photoSeconds?: number;
  /** How long load() waits for the TV to say it is ready before it returns with 'loading' (default 20 s). */
  loadTimeoutMs?: number;
  /** An item that has not started this long after /play is an error (default 60 s). */
  startTimeoutMs?: number;
  timeoutMs?: number;
  /** ffmpeg, to turn a non-JPEG photo into the JPEG /photo wants (default 'ffmpeg'). */
  ffmpegPath?: string;
  /** Polls that fail in a row before the TV counts as gone (default 3). */
  failuresBeforeGone?: number;
}

/** The statuses an Apple TV answers when it wants pairing first [docs/protocols.md §4]. */
const PAIRING = new Set([403, 453, 470]);

interface Current {
  readonly gen: number;
  readonly req: LoadRequest;
  /** The TV reported a duration: the item is loaded (so its disappearance is an end). */
  started: boolean;
  /** When /play was accepted (ms): a TV that never starts is given up after startTimeoutMs. */
  since: number;
  pausedByUs: boolean;
  photoTimer?: NodeJS.Timeout;
  /** Photo: seconds shown so far before the current run (pause/resume). */
  photoShown?: number;
  onReady?: (err?: Error) => void;
}

export class AirPlayVideoReceiver extends EventEmitter<ReceiverEvents> implements Receiver {
  readonly id: string;
  readonly capabilities: Capabilities = { seek: true, volume: false, pause: true, subtitles: false };
  private readonly name: string;
  private readonly client: VideoClient;
  /** Photos are sent no larger than this: a 4K TV's screen, else 1080p. */
  private readonly screen: Screen;
  private st: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  private cur: Current | undefined;
  private gen = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private failures = 0;
  private closed = false;

  constructor(descriptor: ReceiverDescriptor, private readonly opts: VideoDriverOptions = {}) {
    super();
    this.id = descriptor.id;
    this.name = descriptor.name;
    this.screen = appleTvProfiles.uhd === profileForModel(descriptor.model) ? { width: 3840, height: 2160 } : { width: 1920, height: 1080 };
    // By address, never by mDNS host name (the OS resolver may not know `.local`).
    this.client = new VideoClient(descriptor.host, descriptor.port, opts.timeoutMs ?? 10_000, opts.password);
    this.client.listen(
      (e) => this.onEvent(e),
      () => undefined, // the reverse channel is a hint only; polling notices everything
    );
  }

  status(): ReceiverStatus {
    return { ...this.st, volume: { ...this.st.volume } };
  }

  private set(next: Partial<ReceiverStatus>, idleReason?: IdleReason, error?: string): void {
    const { idleReason: _r, error: _e, ...rest } = this.st;
    this.st = { ...rest, at: Date.now(), ...next, ...(idleReason ? { idleReason } : {}), ...(error ? { error } : {}) };
    this.emit('status', this.status());
  }

  /** Where the item is now, extrapolated from the last report. */
  private now(): number {
    return this.st.position + (this.st.rate * (Date.now() - this.st.at)) / 1000;
  }

  private explain(err: unknown): Error {
    if (err instanceof AirPlayHttpError && PAIRING.has(err.status)) return new Error(`${this.name} asks to pair (tvOS 10.2 and later); pairing is not supported`);
    if (err instanceof AirPlayHttpError) return new Error(`${this.name} refused ${err.path} (HTTP ${err.status})`);
    if (err instanceof NeedsPasswordError) return new NeedsPasswordError(`${this.name} ${err.message}`, err.wrong);
    const e = err instanceof Error ? err : new Error(String(err));
    return e.message.includes(this.name) ? e : new Error(`${this.name}: ${e.message}`);
  }

  /** Checks the TV answers (GET /server-info). */
  async connect(): Promise<void> {
    if (this.closed) throw new Error(`the driver for ${this.name} is closed`);
    try {
      await this.client.serverInfo();
    } catch (err) {
      throw this.explain(err);
    }
  }

  async load(req: LoadRequest): Promise<void> {
    if (this.closed) throw new Error(`the driver for ${this.name} is closed`);
    this.drop();
    const cur: Current = { gen: ++this.gen, req, started: false, since: Date.now(), pausedByUs: false };
    this.cur = cur;
    this.set({ state: 'loading', position: req.startAt, rate: 0, duration: req.duration });
    try {
      if (req.metadata.kind === 'photo') await this.showPhoto(cur);
      else await this.playUrl(cur);
    } catch (err) {
      const e = this.explain(err);
      if (this.cur === cur) this.fail(cur, e.message);
      throw e;
    }
  }

  private async playUrl(cur: Current): Promise<void> {
    const { req } = cur;
    // Start-Position is a fraction of the duration [docs/protocols.md §4]; without one, scrub once loaded.
    const fraction = req.startAt > 0 && req.duration ? Math.min(1, req.startAt / req.duration) : 0;
    await this.client.play(req.url, fraction);
    if (this.cur !== cur) return;
    cur.since = Date.now();
    const ready = new Promise<void>((resolve, reject) => (cur.onReady = (err) => (err ? reject(err) : resolve())));
    this.failures = 0;
    this.pollSoon();
    const timeout = setTimeout(() => cur.onReady?.(), this.opts.loadTimeoutMs ?? 20_000); // still loading: say so by status
    try {
      await ready;
    } finally {
      clearTimeout(timeout);
      cur.onReady = undefined;
    }
    if (this.cur === cur && req.startAt > 0 && fraction === 0) await this.seek(req.startAt);
  }

  private async showPhoto(cur: Current): Promise<void> {
    const jpeg = await fetchPhoto(cur.req.url, this.screen, this.opts.ffmpegPath ?? 'ffmpeg', this.opts.timeoutMs ?? 10_000);
    if (this.cur !== cur) return;
    await this.client.photo(jpeg, randomUUID().toUpperCase());
    if (this.cur !== cur) return;
    cur.photoShown = 0;
    this.runPhoto(cur);
  }

  private photoSeconds(): number {
    return this.opts.photoSeconds ?? 5;
  }

  /** The slideshow interval: 'playing' for the rest of it, then 'finished'. */
  private runPhoto(cur: Current): void {
    const total = this.photoSeconds();
    const shown = cur.photoShown ?? 0;
    this.set({ state: 'playing', position: shown, rate: 1, duration: total });
    cur.photoTimer = setTimeout(() => {
      if (this.cur !== cur) return;
      this.cur = undefined;
      this.set({ state: 'idle', position: total, rate: 0 }, 'finished');
    }, (total - shown) * 1000);
  }

  private fail(cur: Current, message: string): void {
    cur.onReady?.(new Error(message));
    if (this.cur === cur) this.cur = undefined;
    this.stopPolling();
    this.set({ state: 'idle', rate: 0 }, 'error', message);
  }

  /** Forgets the current item (a new load, a stop): its timers and pending polls no longer count. */
  private drop(): void {
    const cur = this.cur;
    if (!cur) return;
    clearTimeout(cur.photoTimer);
    cur.onReady?.(new Error('replaced by another load'));
    this.cur = undefined;
    this.stopPolling();
  }

  private stopPolling(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** A reverse event: an error in it ends the item at once; anything else just brings the next poll forward. */
  private onEvent(e: Record<string, unknown>): void {
    const cur = this.cur;
    if (cur && !cur.started && e.state === 'stopped' && typeof e.error === 'string') {
      this.fail(cur, `${this.name} could not play "${cur.req.metadata.title}": ${e.error}`);
      return;
    }
    this.pollSoon();
  }

  private pollSoon(delay = 0): void {
    if (this.closed || !this.cur || this.cur.req.metadata.kind === 'photo') return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  private async poll(): Promise<void> {
    const cur = this.cur;
    if (!cur || this.polling) return this.pollSoon(this.opts.pollMs ?? 1000);
    this.polling = true;
    try {
      const info = await this.client.playbackInfo();
      this.failures = 0;
      if (this.cur === cur) this.apply(cur, info);
    } catch (err) {
      if (this.cur === cur) this.pollFailed(cur, err);
    } finally {
      this.polling = false;
    }
    if (this.cur === cur) this.pollSoon(this.opts.pollMs ?? 1000);
  }

  private pollFailed(cur: Current, err: unknown): void {
    if (err instanceof AirPlayHttpError) return this.fail(cur, this.explain(err).message);
    if (++this.failures < (this.opts.failuresBeforeGone ?? 3)) return;
    const reason = `${this.name} stopped answering: ${(err as Error).message}`;
    this.cur = undefined;
    this.set({ state: 'idle', position: this.now(), rate: 0 }, 'gone', reason);
    this.emit('gone', reason);
  }

  /** One /playback-info answer → status (see playback-info.ts). */
  private apply(cur: Current, info: Record<string, unknown>): void {
    const r = readPlaybackInfo(info, { pausedByUs: cur.pausedByUs, hadPlayed: this.st.state === 'playing' || this.st.state === 'paused' });
    if (r.kind === 'error') return this.fail(cur, `${this.name} could not play "${cur.req.metadata.title}": ${r.error}`);
    if (r.kind === 'loaded') {
      cur.started = true;
      const changed = r.state !== this.st.state || Math.abs(r.position - this.now()) > 0.5 || r.duration !== this.st.duration;
      if (changed) this.set({ state: r.state, position: r.position, rate: r.rate, duration: r.duration });
      else this.st = { ...this.st, position: r.position, at: Date.now() };
      if (r.rate > 0 || cur.pausedByUs) cur.onReady?.();
      return;
    }
    if (!cur.started) {
      const waited = Date.now() - cur.since;
      if (waited > (this.opts.startTimeoutMs ?? 60_000)) this.fail(cur, `${this.name} did not start "${cur.req.metadata.title}" within ${Math.round(waited / 1000)} s`);
      return; // still loading
    }
    // It was loaded and is not any more: the end, or someone stopped it on the TV.
    const why = endReason(this.now(), this.st.duration);
    this.cur = undefined;
    this.stopPolling();
    this.set({ state: 'idle', position: why === 'finished' ? this.st.duration! : this.now(), rate: 0 }, why);
  }

  private current(what: string): Current {
    if (!this.cur) throw new Error(`cannot ${what}: nothing is playing on ${this.name}`);
    return this.cur;
  }

  async play(): Promise<void> {
    const cur = this.current('resume');
    if (cur.req.metadata.kind === 'photo') {
      if (this.st.state === 'paused') this.runPhoto(cur);
      return;
    }
    cur.pausedByUs = false;
    await this.client.rate(1).catch((e) => Promise.reject(this.explain(e)));
    this.set({ state: 'playing', position: this.now(), rate: 1 });
    this.pollSoon(200);
  }

  async pause(): Promise<void> {
    const cur = this.current('pause');
    if (cur.req.metadata.kind === 'photo') {
      clearTimeout(cur.photoTimer);
      cur.photoShown = Math.min(this.photoSeconds(), this.now());
      this.set({ state: 'paused', position: cur.photoShown, rate: 0 });
      return;
    }
    cur.pausedByUs = true;
    await this.client.rate(0).catch((e) => Promise.reject(this.explain(e)));
    this.set({ state: 'paused', position: this.now(), rate: 0 });
    this.pollSoon(200);
  }

  async seek(seconds: number): Promise<void> {
    const cur = this.current('seek');
    if (cur.req.metadata.kind === 'photo') return;
    const to = Math.max(0, this.st.duration ? Math.min(seconds, this.st.duration) : seconds);
    await this.client.scrub(to).catch((e) => Promise.reject(this.explain(e)));
    this.set({ position: to });
    this.pollSoon(200);
  }

  async stop(): Promise<void> {
    const had = this.cur !== undefined;
    this.drop();
    // airplay-protocol drops its sockets on the TV's 'stopped' event, which may beat the answer to
    // /stop: only a refusal (an HTTP status) is an error here; the item is stopped either way.
    if (had) await this.client.stop().catch((e) => (e instanceof AirPlayHttpError ? Promise.reject(this.explain(e)) : undefined));
    this.set({ state: 'idle', position: this.now(), rate: 0 }, 'stopped');
  }

  async setVolume(_level: number): Promise<void> {
    throw new Error(`${this.name} takes no volume over AirPlay video: use the TV's remote`);
  }

  async setMuted(_muted: boolean): Promise<void> {
    throw new Error(`${this.name} takes no mute over AirPlay video: use the TV's remote`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.drop();
    this.closed = true;
    this.client.close();
  }
}

/** Our signed URL → the bytes /photo gets (see jpeg.ts). */
async function fetchPhoto(url: string, screen: Screen, ffmpegPath: string, timeoutMs: number): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`cannot fetch the photo (HTTP ${res.status})`);
  return photoForScreen(Buffer.from(await res.arrayBuffer()), screen, ffmpegPath, timeoutMs);
}
