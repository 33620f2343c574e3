// Live transcoding: one ffmpeg (through fluent-ffmpeg, kept swappable behind this file) whose
// output goes to one or more HTTP responses (readers; live-streams.ts shares one among the
// fetches of the same URL). It never outlives its readers: when the last one leaves early the
// process gets SIGTERM, then SIGKILL after a short grace. ffmpeg runs no faster than its slowest
// reader takes the bytes; a reader that takes nothing for `idleMs` is dropped, so a client that
// stops reading cannot hold an encoder. Counts and announces live processes so a health endpoint
// and tests can see them.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { Logger } from '../util/log.js';
import type { FfmpegArgs } from './transcode-args.js';

export interface TranscodeStart { pid: number; label: string; command: string }
export interface TranscodeExit { pid: number; label: string; code: number | null; signal: NodeJS.Signals | null; clientGone: boolean }

/** 'start' when an ffmpeg process exists, 'exit' once it is gone (reaped). */
export const transcodeEvents = new EventEmitter<{ start: [TranscodeStart]; exit: [TranscodeExit] }>();
let live = 0;
/** Number of ffmpeg transcodes running right now. */
export function liveTranscodes(): number {
  return live;
}

const KILL_GRACE_MS = 1000;

/** The fluent-ffmpeg command for one transcode; its arguments are exactly `input -i path output`. */
export function buildCommand(ffmpegPath: string, inputPath: string, args: FfmpegArgs): ffmpeg.FfmpegCommand {
  // fluent-ffmpeg keeps the ffmpeg path in one module-wide cache: fine while the app has one ffmpeg.
  const cmd = ffmpeg(inputPath).setFfmpegPath(ffmpegPath);
  return withOptions(cmd, args);
}

/** Passing several strings (not one array) stops fluent-ffmpeg from splitting them on spaces. */
function withOptions(cmd: ffmpeg.FfmpegCommand, args: FfmpegArgs): ffmpeg.FfmpegCommand {
  if (args.input.length > 0) cmd.inputOptions(...(args.input as [string]));
  if (args.output.length > 0) cmd.outputOptions(...(args.output as [string]));
  return cmd;
}

/** fluent-ffmpeg runs `ffmpeg -formats` and `-encoders` before its first command; do it now, not on a user's first play. */
export function warmUpFfmpeg(ffmpegPath: string): void {
  ffmpeg.setFfmpegPath(ffmpegPath);
  ffmpeg.getAvailableFormats(() => ffmpeg.getAvailableEncoders(() => {}));
}

export interface TranscodeJob {
  ffmpegPath: string;
  inputPath: string;
  args: FfmpegArgs;
  mime: string;
  label: string; // for logs and events, e.g. "media/12"
  log: Logger;
  onExit?: () => void; // e.g. close the descriptor ffmpeg read from
  /** What it costs against the ffmpeg cap (ffmpeg-slots.ts transcodeCost); default 1, a video encoder. */
  cost?: number;
}

export interface LiveOptions {
  /** A reader whose socket takes nothing for this long is dropped (default 30 s). */
  idleMs?: number;
  /** Output kept from the start so a reader arriving later still gets every byte; past it, nobody joins (default 1 MB). */
  replayBytes?: number;
}

interface Reader {
  res: ServerResponse;
  blocked: boolean;
  idle?: NodeJS.Timeout;
}

const DEFAULT_IDLE_MS = 30_000;
const DEFAULT_REPLAY_BYTES = 1 << 20;

/** One ffmpeg, fanned out to its readers. */
export class LiveTranscode {
  private readonly readers = new Set<Reader>();
  private replay: Buffer[] | null = [];
  private replayed = 0;
  private proc: ChildProcess | undefined;
  private started = false;
  private exited = false;
  private finished = false;
  private failed = false;
  private clientGone = false;
  private killTimer: NodeJS.Timeout | undefined;
  /** The write ffmpeg's output waits on while a reader's socket is full. */
  private held: (() => void) | null = null;
  private readonly idleMs: number;
  private readonly replayBytes: number;
  /** Resolves once the process is gone (or never started). */
  readonly gone: Promise<void>;

  constructor(private readonly job: TranscodeJob, opts: LiveOptions = {}) {
    this.idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
    this.replayBytes = opts.replayBytes ?? DEFAULT_REPLAY_BYTES;
    let markGone!: () => void;
    this.gone = new Promise((resolve) => (markGone = resolve));
    const { log, label } = job;
    const began = performance.now();
    const cmd = buildCommand(job.ffmpegPath, job.inputPath, job.args);
    let stdoutClosed: Promise<void> = Promise.resolve();
    const sink = new Writable({ highWaterMark: 64 * 1024, write: (chunk: Buffer, _enc, done) => this.fan(chunk, done) });

    cmd.on('start', (command) => {
      const proc = (cmd as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
      if (!proc?.pid) return;
      this.proc = proc;
      const pid = proc.pid;
      this.started = true;
      live++;
      log.debug('transcode start', { label, pid, command });
      transcodeEvents.emit('start', { pid, label, command });
      const stdout = proc.stdout;
      stdoutClosed = stdout ? new Promise((resolve) => stdout.once('close', () => resolve())) : Promise.resolve();
      stdout?.once('data', () => log.debug('transcode first bytes', { label, ms: Math.round(performance.now() - began) }));
      proc.once('exit', (code, signal) => {
        this.exited = true;
        live--;
        clearTimeout(this.killTimer);
        job.onExit?.();
        log.debug('transcode exit', { label, pid, code, signal, clientGone: this.clientGone });
        transcodeEvents.emit('exit', { pid, label, code, signal, clientGone: this.clientGone });
        markGone();
      });
      if (this.clientGone) this.stop();
    });

    cmd.on('end', () => {
      // ffmpeg's exit may be reported before its last output was read: end after stdout closes
      // and every chunk has gone out to the readers.
      void stdoutClosed.then(() => sink.end(() => {
        this.finished = true;
        this.replay = null;
        for (const r of this.readers) r.res.end();
      }));
    });

    cmd.on('error', (err, _stdout, stderr) => {
      this.failed = true;
      this.replay = null;
      if (!this.started) (job.onExit?.(), markGone()); // no process: nobody else will release the input
      if (this.clientGone) {
        log.debug('transcode stopped, client gone', { label });
        return;
      }
      log.error('transcode failed', { label, error: err.message.split('\n')[0], stderr: (stderr ?? '').trim().slice(-800) });
      for (const { res } of [...this.readers]) {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
          res.end(JSON.stringify({ error: 'transcode failed' }));
        } else {
          res.destroy(); // cut the chunked stream so the player sees a failure, not a clean end
        }
      }
      this.release();
    });

    // end: false, so a failed ffmpeg does not end the responses as if it had finished.
    cmd.pipe(sink, { end: false });
  }

  /** Whether a new reader can still get the output from its first byte. */
  get joinable(): boolean {
    return this.replay !== null && !this.failed && !this.clientGone && !this.finished;
  }

  get readerCount(): number {
    return this.readers.size;
  }

  /** Adds a reader (call only while `joinable`): it gets what was made so far, then the rest. */
  add(res: ServerResponse): void {
    // Set, not written: they go out with the first bytes (chunked, no Content-Length), so a
    // failure before any output can still become a 500.
    res.statusCode = 200;
    res.setHeader('Content-Type', this.job.mime);
    res.setHeader('Accept-Ranges', 'none'); // a live stream cannot seek by bytes; players seek with ?start=
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const reader: Reader = { res, blocked: false };
    this.readers.add(reader);
    res.once('close', () => {
      clearTimeout(reader.idle);
      this.readers.delete(reader);
      if (!res.writableFinished && this.readers.size === 0 && !this.finished) {
        this.clientGone = true;
        this.stop();
      }
      this.release();
    });
    for (const chunk of this.replay ?? []) this.send(reader, chunk);
  }

  private fan(chunk: Buffer, done: () => void): void {
    if (this.replay) {
      this.replayed += chunk.length;
      if (this.replayed > this.replayBytes) this.replay = null;
      else this.replay.push(chunk);
    }
    for (const r of this.readers) this.send(r, chunk);
    this.held = done;
    this.release();
  }

  /** Lets ffmpeg's next write through once no reader's socket is full. */
  private release(): void {
    if (!this.held || [...this.readers].some((r) => r.blocked)) return;
    const next = this.held;
    this.held = null;
    next();
  }

  private send(r: Reader, chunk: Buffer): void {
    if (r.res.write(chunk) || r.blocked) return;
    r.blocked = true;
    r.idle = setTimeout(() => {
      this.job.log.info('transcode reader dropped', { label: this.job.label, reason: `read nothing for ${Math.round(this.idleMs / 1000)} s` });
      r.res.destroy();
    }, this.idleMs);
    r.res.once('drain', () => {
      clearTimeout(r.idle);
      r.blocked = false;
      this.release();
    });
  }

  private stop(): void {
    const proc = this.proc;
    if (!proc || !this.started || this.exited) return;
    proc.kill('SIGTERM');
    this.killTimer = setTimeout(() => proc.kill('SIGKILL'), KILL_GRACE_MS);
    this.killTimer.unref();
  }
}

/** One transcode for one response. */
export function runTranscode(res: ServerResponse, job: TranscodeJob, opts?: LiveOptions): LiveTranscode {
  const t = new LiveTranscode(job, opts);
  t.add(res);
  return t;
}
