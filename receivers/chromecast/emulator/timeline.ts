// How much media a body without byte ranges (a live transcode) holds so far, by its own timestamps:
// ffprobe demuxes the bytes as they arrive (no decoding) and prints each packet's presentation time
// and duration. What a device has buffered is where every stream it plays has data (the intersection
// of the tracks' buffered ranges, as W3C Media Source Extensions defines SourceBuffer.buffered);
// once the body ended and every packet is read, the media ends with its longest stream (MSE's
// endOfStream() sets the duration to the highest end time buffered). Times count from the stream's
// first timestamp: what the sender's positions (LOAD currentTime, a transcode's `start`) count from.
// The demuxer starts once the stream is probed (two ffprobes starting at once slow the probe, and
// so PLAYING, by ~0.3 s on 2 cores); the bytes read until then wait in memory.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';

interface TimelineEvents {
  /** More media buffered. */
  progress: [];
  /** The body ended and every packet was read: `end` is known. */
  done: [];
  /** The demuxer gave up before the body ended. */
  error: [Error];
}

/** One packet line of `-of compact=p=0`: `codec_type=video|stream_index=0|pts_time=0.040000|...`. */
function parsePacket(line: string): { stream: number; start: number; end: number } | null {
  const f = Object.fromEntries(line.split('|').map((kv) => kv.split('=', 2) as [string, string]));
  if (f.codec_type !== 'audio' && f.codec_type !== 'video') return null;
  const stream = Number(f.stream_index);
  const start = Number(f.pts_time !== 'N/A' ? f.pts_time : f.dts_time);
  if (!Number.isInteger(stream) || !Number.isFinite(start)) return null;
  const duration = Number(f.duration_time);
  return { stream, start, end: start + (Number.isFinite(duration) ? duration : 0) };
}

export class BodyTimeline extends EventEmitter<TimelineEvents> {
  private child: ChildProcessWithoutNullStreams | null = null;
  /** What arrived before start(). */
  private waiting: Buffer[] = [];
  /** Per stream index: its first timestamp, and the end of its latest packet. */
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  /** Streams the player plays (null: every audio and video stream). */
  private playing: number[] | null = null;
  private partial = '';
  private stdinEnded = false;
  private stopped = false;
  /** Media seconds at the end of the body, once it is known. */
  end: number | null = null;

  constructor(private readonly ffprobePath: string) {
    super();
  }

  /** Demuxes what arrived so far and what follows; only `streams` count (the ones the player picked: a cover picture has one packet). */
  start(streams: number[]): void {
    if (this.child || this.stopped) return;
    this.playing = streams.length ? streams : null;
    const child = spawn(this.ffprobePath, ['-v', 'error', '-show_entries', 'packet=codec_type,stream_index,pts_time,dts_time,duration_time', '-of', 'compact=p=0', '-i', 'pipe:0']);
    this.child = child;
    child.stdin.on('error', () => undefined); // it exits on its own error, reported below
    child.stdout.setEncoding('utf8').on('data', (text: string) => this.read(text));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-2000)));
    child.on('error', (err) => this.fail(`cannot run ffprobe: ${err.message}`));
    child.on('close', () => {
      if (this.stopped) return;
      if (!this.stdinEnded) return this.fail(`cannot read the media: ${stderr.trim().split('\n').pop() || 'the demuxer stopped'}`);
      this.read('\n');
      const origin = this.origin();
      const ends = this.streams().map((s) => this.last.get(s)!);
      this.end = ends.length ? Math.max(0, Math.max(...ends) - origin) : 0;
      this.emit('done');
    });
    for (const chunk of this.waiting) child.stdin.write(chunk);
    this.waiting = [];
    if (this.stdinEnded) child.stdin.end();
  }

  write(chunk: Buffer): void {
    if (this.stdinEnded || this.stopped) return;
    if (this.child) this.child.stdin.write(chunk);
    else this.waiting.push(chunk);
  }

  /** The body ended: the demuxer reads what is left and exits. */
  endOfBody(): void {
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    this.child?.stdin.end();
  }

  /** Media seconds from the start up to which every played stream has data; null until the demuxer said anything. */
  buffered(): number | null {
    if (this.end !== null) return this.end;
    const streams = this.streams();
    if (streams.length === 0 || (this.playing && streams.length < this.playing.length)) return null;
    return Math.max(0, Math.min(...streams.map((s) => this.last.get(s)!)) - this.origin());
  }

  stop(): void {
    this.stopped = true;
    this.waiting = [];
    this.child?.kill('SIGKILL');
  }

  private streams(): number[] {
    return [...this.last.keys()].filter((s) => !this.playing || this.playing.includes(s));
  }

  private origin(): number {
    const firsts = this.streams().map((s) => this.first.get(s)!);
    return firsts.length ? Math.min(...firsts) : 0;
  }

  private read(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    let more = false;
    for (const line of lines) {
      const p = parsePacket(line.trim());
      if (!p) continue;
      if (!this.first.has(p.stream) || p.start < this.first.get(p.stream)!) this.first.set(p.stream, p.start);
      if (p.end > (this.last.get(p.stream) ?? -Infinity)) this.last.set(p.stream, p.end);
      more = true;
    }
    if (more) this.emit('progress');
  }

  private fail(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.child?.kill('SIGKILL');
    this.emit('error', new Error(message));
  }
}
