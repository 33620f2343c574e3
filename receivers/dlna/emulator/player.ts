// One item as the software renderer plays it: ffprobe the URL (its own requests, as a TV's player
// makes them), refuse what its Sink list does not cover, then read the stream with ffmpeg at the
// media's own pace (`-re`: bytes are fetched as they are played, the way a device with a small
// buffer reads) while a clock advances the position. It never ends before the reader has read the
// media up to the end: a stream longer than its probed duration plays on. Pause stops the reader
// (SIGSTOP: the connection stays open and unread, as a paused device's does); a seek starts a
// new reader at the position (ffmpeg -ss over HTTP ranges).
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { audioInfo, containerOf, num, pickStream, runFfprobe, videoInfo } from '../../shared/ffprobe.js';
import type { Profile } from '../../types.js';
import { refusal } from '../../airplay/emulator/video-support.js';
import type { VideoProbe } from '../../airplay/emulator/video-probe.js';

export const USER_AGENT = 'homecast-dlna-renderer/1.0 UPnP/1.0 DLNADOC/1.50';
const TICK_MS = 100;

export interface PlayerOptions { ffprobePath: string; ffmpegPath: string; probeTimeoutMs: number }

export type PlayerState = 'loading' | 'playing' | 'paused' | 'ended' | 'failed' | 'stopped';

export async function probe(url: string, opts: PlayerOptions, signal: AbortSignal): Promise<VideoProbe> {
  const raw = await runFfprobe(url, { ffprobePath: opts.ffprobePath, timeoutMs: opts.probeTimeoutMs, signal, userAgent: USER_AGENT });
  const streams = raw.streams ?? [];
  const formatName = raw.format?.format_name ?? 'unknown';
  const v = pickStream(streams, 'video');
  const a = pickStream(streams, 'audio');
  const video = v ? { ...videoInfo(v), tag: null } : null;
  const audio = a ? audioInfo(a) : null;
  const codecs = [video?.codec, audio?.codec].filter((c): c is string => !!c);
  return { container: containerOf(formatName, codecs), formatName, duration: num(raw.format?.duration), video, audio };
}

export class RendererPlayer extends EventEmitter<{ ready: [VideoProbe]; ended: []; failed: [string] }> {
  state: PlayerState = 'loading';
  probe: VideoProbe | null = null;
  private duration: number | null = null;
  private read = 0;
  private readDone = false;
  private base = 0;
  private baseAt = 0;
  private rate = 0;
  private reader: ChildProcess | null = null;
  private tick: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(readonly url: string, private readonly profile: Profile, private readonly opts: PlayerOptions) {
    super();
  }

  async open(): Promise<void> {
    try {
      this.probe = await probe(this.url, this.opts, this.abort.signal);
    } catch (err) {
      return this.fail(`cannot open the stream: ${(err as Error).message}`);
    }
    if (this.state !== 'loading') return;
    const why = refusal(this.profile, this.probe);
    if (why) return this.fail(why);
    this.duration = this.probe.duration;
    this.startReader(0);
    this.baseAt = Date.now();
    this.rate = 1;
    this.state = 'playing';
    this.tick = setInterval(() => this.check(), TICK_MS);
    this.emit('ready', this.probe);
  }

  position(): number {
    const p = this.base + (this.rate * (Date.now() - this.baseAt)) / 1000;
    return Math.max(0, Math.min(p, this.duration ?? this.read, this.readDone ? this.read : Infinity));
  }

  knownDuration(): number | null {
    return this.duration ?? (this.readDone ? this.read : null);
  }

  pause(): void {
    if (this.state !== 'playing') return;
    this.base = this.position();
    this.baseAt = Date.now();
    this.rate = 0;
    this.state = 'paused';
    this.reader?.kill('SIGSTOP');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.baseAt = Date.now();
    this.rate = 1;
    this.state = 'playing';
    this.reader?.kill('SIGCONT');
  }

  seek(seconds: number): void {
    if (this.state !== 'playing' && this.state !== 'paused') return;
    const limit = this.knownDuration();
    this.base = Math.max(0, limit !== null ? Math.min(seconds, limit) : seconds);
    this.baseAt = Date.now();
    const old = this.reader;
    this.reader = null;
    old?.kill('SIGKILL');
    this.readDone = false;
    this.read = this.base;
    const reader = this.startReader(this.base);
    if (this.state === 'paused') reader.kill('SIGSTOP');
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
    this.cleanup();
    this.emit('failed', reason);
  }

  private startReader(from: number): ChildProcess {
    const seek = from > 0 ? ['-ss', String(from)] : [];
    const args = ['-v', 'error', '-nostdin', '-re', '-user_agent', USER_AGENT, ...seek, '-i', this.url, '-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-f', 'null', '-', '-progress', 'pipe:1'];
    const child = spawn(this.opts.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.reader = child;
    let partial = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      partial += c.toString('latin1');
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        const m = /^out_time_us=(\d+)/.exec(l);
        if (m && this.reader === child) this.read = Math.max(this.read, from + Number(m[1]) / 1e6);
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
      r.kill('SIGCONT');
      r.kill('SIGKILL');
    }
  }
}
