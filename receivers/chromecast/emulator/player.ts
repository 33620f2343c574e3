// One media item as a device plays it: GET the URL (with `Range: bytes=0-`, as Chrome does),
// probe it with ffprobe, then consume the body at the media's pace: read while less than
// AHEAD_SECONDS is buffered past the play position, let TCP back-pressure hold the server
// otherwise. Never buffers more than that, whatever the file's size.
// A file (the server takes ranges) is known by its index: its duration, and bytes map to time at
// its average rate; a seek opens a new request at ≈ seconds × bytes per second.
// A stream without ranges (a live transcode) says nothing of its length in its first bytes: the
// duration is the sender's (LOAD media.duration) or none, what is buffered comes from the body's
// own timestamps (timeline.ts), and it ends when the play position reaches the end of the body, as
// a media element fires `ended` when the current playback position reaches the end of the media
// resource (HTML Standard, "media elements"). A seek in it just moves the clock (senders reload
// those anyway); past what arrived, the clock waits for the data.
// When the body falls behind the clock the clock stalls ('stall'), as a device goes BUFFERING.
// Emits 'ended' at the end of the media and 'error' when the fetch breaks.
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { MediaClock } from './clock.js';
import { CAST_USER_AGENT, probeBody, probeUrl, type Probe } from './probe.js';
import { BodyTimeline } from './timeline.js';

const AHEAD_SECONDS = 10;
/** Buffered seconds needed to leave a stall. */
const RESUME_SECONDS = 2;
const TICK_MS = 200;
/** Read pace for a file whose bitrate nobody knows. */
const FALLBACK_BYTES_PER_SECOND = 1_000_000;

export interface PlaybackOptions {
  ffprobePath: string;
  probeTimeoutMs: number;
}

interface PlaybackEvents {
  ended: [];
  error: [Error];
  stall: [];
  unstall: [];
}

export class Playback extends EventEmitter<PlaybackEvents> {
  readonly clock: MediaClock;
  probe: Probe | null = null;
  /** What the device reports: a file's own duration (else the sender's); a stream's from the sender, or none. */
  duration: number | null = null;
  private readonly abort = new AbortController();
  /** A stream without ranges: what its body holds, by its own timestamps. */
  private timeline: BodyTimeline | null = null;
  private res: IncomingMessage | null = null;
  private generation = 0;
  private bytesPerSecond = FALLBACK_BYTES_PER_SECOND;
  /** Media time at the first byte of the current response. */
  private rangeStartTime = 0;
  private bytesRead = 0;
  private bodyEnded = false;
  private rangeable = false;
  private size: number | null = null;
  private detectUnderrun = false;
  private wantPlaying = false;
  private stalled = false;
  private seeking = false;
  private tick: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(readonly url: string, private readonly opts: PlaybackOptions) {
    super();
    this.clock = new MediaClock(null, () => this.finish());
  }

  /** Fetches and probes; rejects when the URL cannot be fetched or read. */
  async open(durationHint: number | null): Promise<Probe> {
    const probeOpts = { ffprobePath: this.opts.ffprobePath, timeoutMs: this.opts.probeTimeoutMs, signal: this.abort.signal };
    let res: IncomingMessage;
    let probe: Probe;
    let consumed = 0;
    try {
      res = await this.request(0);
      // A file is probed by its own range requests, as a device's demuxer does; a stream without
      // ranges (a live transcode) from the body already flowing, so it is transcoded once.
      if (this.rangeable) probe = await probeUrl(this.url, probeOpts);
      else {
        this.timeline = this.follow(res);
        ({ probe, bytes: consumed } = await probeBody(res, probeOpts));
      }
    } catch (err) {
      this.stop();
      throw err;
    }
    this.probe = probe;
    if (probe.image) {
      this.timeline?.stop();
      this.timeline = null;
    }
    const timeline = this.timeline;
    if (timeline) {
      // ffprobe's duration of the first bytes is that of the first fragment (or none): not the media's.
      this.duration = durationHint;
      timeline.start(probe.streamIndexes);
      this.detectUnderrun = true;
    } else {
      const duration = probe.image ? null : probe.duration ?? durationHint;
      this.duration = duration;
      this.clock.setDuration(duration);
      this.size = this.size ?? probe.size;
      if (this.size && duration) this.bytesPerSecond = this.size / duration;
      else if (probe.bitRate) this.bytesPerSecond = probe.bitRate / 8;
      // Only a known size over a known duration says when bytes are late.
      this.detectUnderrun = !!(this.size && duration) && !probe.image;
    }
    this.attach(res, 0, consumed);
    this.tick = setInterval(() => this.onTick(), TICK_MS);
    this.tick.unref();
    return probe;
  }

  position(): number {
    return this.clock.position();
  }

  get isStalled(): boolean {
    return this.stalled || this.seeking;
  }

  play(): void {
    this.wantPlaying = true;
    this.syncClock();
  }

  pause(): void {
    this.wantPlaying = false;
    this.syncClock();
  }

  /** Resolves once data flows from the new position; false when a later seek or stop overtook it. */
  async seek(seconds: number): Promise<boolean> {
    this.clock.seek(seconds);
    if (!this.rangeable || this.probe?.image) return true;
    const gen = ++this.generation;
    this.res?.destroy();
    this.res = null;
    // A fresh request: whether it keeps up is judged anew once its bytes flow.
    this.stalled = false;
    this.seeking = true;
    this.syncClock();
    const wanted = Math.floor(seconds * this.bytesPerSecond);
    const offset = this.size ? Math.min(wanted, this.size - 1) : wanted;
    let res: IncomingMessage;
    try {
      res = await this.request(offset);
    } catch (err) {
      if (gen === this.generation) this.fail(err as Error);
      return false;
    }
    if (gen !== this.generation || this.stopped) {
      res.destroy();
      return false;
    }
    // A server that ignored the range sends the file from its first byte.
    this.attach(res, res.statusCode === 206 ? offset / this.bytesPerSecond : 0);
    this.seeking = false;
    this.syncClock();
    return true;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.generation++;
    this.abort.abort();
    this.res?.destroy();
    this.res = null;
    this.timeline?.stop();
    this.clock.dispose();
    if (this.tick) clearInterval(this.tick);
  }

  private syncClock(): void {
    if (this.wantPlaying && !this.stalled && !this.seeking) this.clock.start();
    else this.clock.stop();
  }

  private finish(): void {
    if (this.stopped) return;
    this.stop();
    this.emit('ended');
  }

  private fail(err: Error): void {
    if (this.stopped) return;
    this.stop();
    this.emit('error', err);
  }

  /** The body's packets feed the timeline from its first byte (the probe reads the same bytes). */
  private follow(res: IncomingMessage): BodyTimeline {
    const t = new BodyTimeline(this.opts.ffprobePath);
    res.on('data', (chunk: Buffer) => t.write(chunk));
    res.on('end', () => t.endOfBody());
    t.on('progress', () => {
      if (this.res && this.bufferedAhead() > AHEAD_SECONDS) this.res.pause();
    });
    // The media ends where the body does: the clock stops there and says 'ended'.
    t.on('done', () => this.clock.setDuration(t.end));
    t.on('error', (err) => this.fail(err));
    return t;
  }

  /**
   * Media seconds buffered past the play position. A stream's demuxer starts after the probe (which
   * read media already): until it says anything, no more and no less than needed (read on, no stall).
   */
  private bufferedAhead(): number {
    if (this.timeline) {
      if (this.timeline.end !== null) return Infinity;
      const buffered = this.timeline.buffered();
      return buffered === null ? 0 : buffered - this.clock.position();
    }
    if (this.bodyEnded) return Infinity;
    return this.rangeStartTime + this.bytesRead / this.bytesPerSecond - this.clock.position();
  }

  private onTick(): void {
    if (this.stopped || !this.res) return;
    const ahead = this.bufferedAhead();
    if (this.res.isPaused() && ahead < AHEAD_SECONDS) this.res.resume();
    if (!this.stalled && this.detectUnderrun && this.clock.isRunning && ahead < 0) {
      this.stalled = true;
      this.syncClock();
      this.emit('stall');
    } else if (this.stalled && ahead >= RESUME_SECONDS) {
      this.stalled = false;
      this.syncClock();
      this.emit('unstall');
    }
    // A file of no known duration ends when the bytes received have been played.
    if (!this.timeline && this.bodyEnded && this.clock.isRunning && this.duration === null && this.probe && !this.probe.image) {
      const endOfBytes = this.rangeStartTime + this.bytesRead / this.bytesPerSecond;
      if (this.clock.position() >= endOfBytes) this.finish();
    }
  }

  private attach(res: IncomingMessage, startTime: number, alreadyRead = 0): void {
    const gen = this.generation;
    this.res = res;
    this.rangeStartTime = startTime;
    this.bytesRead = alreadyRead;
    this.bodyEnded = res.readableEnded;
    res.on('data', (chunk: Buffer) => {
      this.bytesRead += chunk.length;
      if (this.bufferedAhead() > AHEAD_SECONDS) res.pause();
    });
    res.on('end', () => {
      if (gen === this.generation) this.bodyEnded = true;
    });
    res.on('error', () => undefined); // 'close' below decides
    res.on('close', () => {
      if (gen === this.generation && !res.complete) this.fail(new Error('the media connection broke before the end'));
    });
    if (this.bufferedAhead() < AHEAD_SECONDS) res.resume();
  }

  /** GET from a byte offset; resolves on a 2xx answer (body not read yet). */
  private request(offset: number): Promise<IncomingMessage> {
    const url = new URL(this.url);
    const get = url.protocol === 'https:' ? https.get : http.get;
    return new Promise((resolve, reject) => {
      const req = get(url, {
        headers: { 'User-Agent': CAST_USER_AGENT, Range: `bytes=${offset}-`, Accept: '*/*' },
        agent: false,
        signal: this.abort.signal,
        rejectUnauthorized: false,
      }, (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          reject(new Error(`HTTP ${status} from the media URL`));
          return;
        }
        this.rangeable = status === 206 || res.headers['accept-ranges'] === 'bytes';
        const total = /\/(\d+)$/.exec(res.headers['content-range'] ?? '')?.[1] ?? (status === 200 ? res.headers['content-length'] : undefined);
        if (total) this.size = Number(total);
        res.pause();
        resolve(res);
      });
      req.on('error', (err) => reject(new Error(`cannot fetch the media: ${err.message}`)));
    });
  }
}
