// One item as an emulated video device (the Apple TV, the DLNA renderer) plays it: ffprobe the URL
// (its own requests, with its own User-Agent, as the device's player makes them), refuse what its
// Profile does not cover, then read the stream with ffmpeg (`-c copy -f null`: every byte fetched,
// nothing kept, so memory stays flat) while a clock advances the position in real time.
// It never ends before the reader has read the media up to the end: a stream longer than its probed
// duration plays on, and one whose duration the probe cannot tell (a live fragmented-MP4 transcode)
// plays only as far as has been read. What differs between devices is the reading style:
// - paced (`-re`): bytes are fetched as they are played, the way a device with a small buffer reads,
//   and pause stops the reader (SIGSTOP: the connection stays open and unread, as a paused device's does);
//   unpaced: read ahead as fast as the server sends (AVPlayer's large buffer);
// - which media a seek fetches from the new position (a new reader with ffmpeg -ss: HTTP ranges, or
//   the HLS segment there); otherwise the reader goes on from where it is.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Profile } from '../types.js';
import { probeMedia, type VideoProbe } from './media-probe.js';
import { refusal } from './media-support.js';

export interface PlayerOptions {
  ffprobePath: string;
  ffmpegPath: string;
  probeTimeoutMs: number;
}

export interface ReadingStyle {
  userAgent: string;
  paced: boolean;
  /** Whether a seek in this media starts a new reader at the position. */
  seeksReader: (probe: VideoProbe) => boolean;
  /** Duration of an untimed stream: as far as read so far (AVPlayer learns it so), else unknown until read to its end. */
  durationSoFar: boolean;
}

export type PlayerState = 'loading' | 'playing' | 'paused' | 'ended' | 'failed' | 'stopped';

/** Where to start: seconds, or a fraction of the probed duration (AirPlay's Start-Position). */
export interface StartAt {
  seconds?: number;
  fraction?: number;
}

const TICK_MS = 100;

export class RealTimePlayer extends EventEmitter<{ ready: [VideoProbe]; ended: []; failed: [string]; reading: [number] }> {
  state: PlayerState = 'loading';
  probe: VideoProbe | null = null;
  error: string | null = null;
  private duration: number | null = null;
  /** Media seconds the reader has got through. */
  private read = 0;
  private readDone = false;
  private base = 0;
  private baseAt = 0;
  private rate = 0;
  private reader: ChildProcess | null = null;
  private tick: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(
    readonly url: string,
    private readonly profile: Profile,
    private readonly opts: PlayerOptions,
    private readonly style: ReadingStyle,
    private readonly start: StartAt = {},
  ) {
    super();
  }

  async open(): Promise<void> {
    try {
      this.probe = await probeMedia(this.url, { ffprobePath: this.opts.ffprobePath, timeoutMs: this.opts.probeTimeoutMs, signal: this.abort.signal, userAgent: this.style.userAgent });
    } catch (err) {
      return this.fail(`cannot open the stream: ${(err as Error).message}`);
    }
    if (this.state !== 'loading') return;
    const why = refusal(this.profile, this.probe);
    if (why) return this.fail(why);
    this.duration = this.probe.duration;
    this.base = this.start.seconds ?? (this.start.fraction ?? 0) * (this.duration ?? 0);
    const from = this.style.seeksReader(this.probe) ? this.base : 0;
    this.read = from;
    this.startReader(from);
    this.baseAt = Date.now();
    this.rate = 1;
    this.state = 'playing';
    this.tick = setInterval(() => this.check(), TICK_MS);
    this.emit('ready', this.probe);
  }

  /** Seconds into the media now. */
  position(): number {
    const p = this.base + (this.rate * (Date.now() - this.baseAt)) / 1000;
    return Math.max(0, Math.min(p, this.duration ?? this.read, this.readDone ? this.read : Infinity));
  }

  /** Duration as the device knows it: the probe's, else as far as read (final once the reader is done). */
  knownDuration(): number | null {
    if (this.duration !== null) return this.duration;
    if (this.readDone) return this.read;
    return this.style.durationSoFar && this.read > 0 ? this.read : null;
  }

  get playbackRate(): number {
    return this.rate;
  }

  pause(): void {
    if (this.state !== 'playing') return;
    this.base = this.position();
    this.baseAt = Date.now();
    this.rate = 0;
    this.state = 'paused';
    if (this.style.paced) this.reader?.kill('SIGSTOP');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.baseAt = Date.now();
    this.rate = 1;
    this.state = 'playing';
    if (this.style.paced) this.reader?.kill('SIGCONT');
  }

  seek(seconds: number): void {
    if (this.state !== 'playing' && this.state !== 'paused') return;
    const limit = this.knownDuration();
    this.base = Math.max(0, limit !== null ? Math.min(seconds, limit) : seconds);
    this.baseAt = Date.now();
    if (!this.probe || !this.style.seeksReader(this.probe)) return;
    const old = this.reader;
    this.reader = null;
    old?.kill('SIGCONT');
    old?.kill('SIGKILL');
    this.readDone = false;
    this.read = this.base;
    const reader = this.startReader(this.base);
    if (this.state === 'paused' && this.style.paced) reader.kill('SIGSTOP');
  }

  stop(): void {
    if (this.state === 'loading' || this.state === 'playing' || this.state === 'paused') this.state = 'stopped';
    this.cleanup();
  }

  private check(): void {
    if (this.state !== 'playing') return;
    // The end: the clock is where the media ends and the reader got there too (never earlier). Once
    // the reader is done, the media ends where its data did (after a seek, ffmpeg's last timestamp
    // may fall a few ms short of the probed duration).
    const d = this.readDone ? Math.min(this.duration ?? this.read, this.read) : this.duration;
    if (d !== null && this.position() >= d && (this.readDone || this.read >= d - 0.05)) {
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

  private startReader(from: number): ChildProcess {
    const seek = from > 0 ? ['-ss', String(from)] : [];
    const pace = this.style.paced ? ['-re'] : [];
    const args = ['-v', 'error', '-nostdin', ...pace, '-user_agent', this.style.userAgent, ...seek, '-i', this.url, '-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-f', 'null', '-', '-progress', 'pipe:1'];
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
        if (!m || this.reader !== child) continue;
        // ffmpeg's output time starts at 0 after an input seek (-ss before -i).
        const t = Number(m[1]) / 1e6;
        this.read = Math.max(this.read, from + t);
        if (t > 0 && !announced) (announced = true), this.emit('reading', from);
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
    return child;
  }

  private cleanup(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    this.abort.abort();
    const r = this.reader;
    this.reader = null;
    if (r) {
      // A stopped (paused) process must go on to die.
      r.kill('SIGCONT');
      r.kill('SIGKILL');
    }
  }
}
