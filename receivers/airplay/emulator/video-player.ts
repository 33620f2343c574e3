// One item as the emulated Apple TV plays it: probe the URL, refuse what the model cannot play,
// then read the whole stream with ffmpeg (`-c copy -f null`: every byte fetched, nothing kept, so
// memory stays flat) while a clock advances the position in real time. A stream whose duration
// the probe cannot tell (a live fragmented-MP4 transcode) plays only as far as has been read,
// and its duration is what the reader found at the end, as AVPlayer learns it. An HLS playlist
// knows its duration and seeks: the reader starts at the start position, and again at each scrub,
// so it fetches the segment there as AVPlayer would ('reading' once media from there arrived).
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Profile } from '../../types.js';
import { APPLE_TV_USER_AGENT, probeMedia, type VideoProbe } from './video-probe.js';
import { refusal } from './video-support.js';

export interface PlayerOptions {
  ffprobePath: string;
  ffmpegPath: string;
  probeTimeoutMs: number;
}

export type PlayerState = 'loading' | 'playing' | 'paused' | 'ended' | 'failed' | 'stopped';

const TICK_MS = 100;

export class VideoPlayer extends EventEmitter<{ ready: [VideoProbe]; ended: []; failed: [string]; reading: [number] }> {
  state: PlayerState = 'loading';
  probe: VideoProbe | null = null;
  error: string | null = null;
  private duration: number | null = null;
  /** Media seconds the reader has got through (for streams of unknown duration). */
  private read = 0;
  private readDone = false;
  private base = 0;
  private baseAt = 0;
  private rate = 0;
  private reader: ChildProcess | null = null;
  private tick: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(readonly url: string, private readonly start: { fraction?: number; seconds?: number }, private readonly profile: Profile, private readonly opts: PlayerOptions) {
    super();
  }

  async open(): Promise<void> {
    try {
      this.probe = await probeMedia(this.url, { ffprobePath: this.opts.ffprobePath, timeoutMs: this.opts.probeTimeoutMs, signal: this.abort.signal });
    } catch (err) {
      return this.fail((err as Error).message);
    }
    if (this.state !== 'loading') return;
    const why = refusal(this.profile, this.probe);
    if (why) return this.fail(why);
    this.duration = this.probe.duration;
    const d = this.duration ?? 0;
    this.base = this.start.seconds ?? (this.start.fraction ?? 0) * d;
    this.startReader(this.seeks() ? this.base : 0);
    this.baseAt = Date.now();
    this.rate = 1;
    this.state = 'playing';
    this.tick = setInterval(() => this.check(), TICK_MS);
    this.emit('ready', this.probe);
  }

  /** Seconds into the media now. */
  position(): number {
    const p = this.base + (this.rate * (Date.now() - this.baseAt)) / 1000;
    const limit = this.duration ?? this.read;
    return Math.max(0, Math.min(p, limit));
  }

  /** Duration as the TV knows it: the probe's, else as far as read (final once the reader is done). */
  knownDuration(): number | null {
    return this.duration ?? (this.read > 0 ? this.read : null);
  }

  setRate(r: number): void {
    if (this.state !== 'playing' && this.state !== 'paused') return;
    this.base = this.position();
    this.baseAt = Date.now();
    this.rate = r > 0 ? 1 : 0;
    this.state = this.rate > 0 ? 'playing' : 'paused';
  }

  scrub(seconds: number): void {
    if (this.state !== 'playing' && this.state !== 'paused') return;
    const limit = this.knownDuration();
    this.base = Math.max(0, limit !== null ? Math.min(seconds, limit) : seconds);
    this.baseAt = Date.now();
    if (this.seeks()) {
      const old = this.reader;
      this.reader = null;
      old?.kill('SIGKILL');
      this.readDone = false;
      this.startReader(this.base);
    }
  }

  /** Only HLS is fetched from where the player is (a file or live stream is read from its start). */
  private seeks(): boolean {
    return this.probe?.container === 'hls';
  }

  get playbackRate(): number {
    return this.rate;
  }

  stop(): void {
    if (this.state === 'loading' || this.state === 'playing' || this.state === 'paused') this.state = 'stopped';
    this.cleanup();
  }

  private check(): void {
    if (this.state !== 'playing') return;
    const d = this.duration ?? (this.readDone ? this.read : null);
    if (d !== null && this.position() >= d) {
      this.base = d;
      this.state = 'ended';
      this.cleanup();
      this.emit('ended');
    }
  }

  private fail(reason: string): void {
    if (this.state === 'stopped') return;
    this.state = 'failed';
    this.error = reason;
    this.cleanup();
    this.emit('failed', reason);
  }

  private startReader(from: number): void {
    const seek = from > 0 ? ['-ss', String(from)] : [];
    const args = ['-v', 'error', '-nostdin', '-user_agent', APPLE_TV_USER_AGENT, ...seek, '-i', this.url, '-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-f', 'null', '-', '-progress', 'pipe:1'];
    const child = spawn(this.opts.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.reader = child;
    let partial = '';
    let stderr = '';
    let announced = false;
    child.stdout!.on('data', (c: Buffer) => {
      partial += c.toString('latin1');
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        const m = /^out_time_us=(\d+)/.exec(l);
        if (!m) continue;
        const t = Number(m[1]) / 1e6;
        this.read = Math.max(this.read, t);
        if (t > 0 && !announced && this.reader === child) (announced = true), this.emit('reading', from);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.on('error', (err) => this.fail(`cannot read the media: ${err.message}`));
    child.on('close', (code, signal) => {
      if (this.reader !== child) return;
      this.reader = null;
      if (code === 0) this.readDone = true;
      else if (signal === null) this.fail(`the stream broke off: ${stderr.trim().split('\n').pop() ?? `ffmpeg exited ${code}`}`);
    });
  }

  private cleanup(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    this.abort.abort();
    const r = this.reader;
    this.reader = null;
    r?.kill('SIGKILL');
  }
}
