// Live transcoding: one ffmpeg (through fluent-ffmpeg, kept swappable behind this file) piped
// into one HTTP response. Must never outlive its client: when the response closes early the
// process gets SIGTERM, then SIGKILL after a short grace. Counts and announces live processes
// so a health endpoint and tests can see them.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
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
}

export function runTranscode(res: ServerResponse, job: TranscodeJob): void {
  const { log, label } = job;
  const began = performance.now();
  const cmd = buildCommand(job.ffmpegPath, job.inputPath, job.args);
  let proc: ChildProcess | undefined;
  let stdoutClosed: Promise<void> = Promise.resolve();
  let clientGone = false;
  let killTimer: NodeJS.Timeout | undefined;
  let started = false;
  let exited = false;

  const stop = () => {
    if (!proc || !started || exited) return;
    proc.kill('SIGTERM');
    killTimer = setTimeout(() => proc?.kill('SIGKILL'), KILL_GRACE_MS);
    killTimer.unref();
  };

  // Set, not written: they go out with ffmpeg's first bytes (chunked, no Content-Length), so a
  // failure before any output can still become a 500.
  res.statusCode = 200;
  res.setHeader('Content-Type', job.mime);
  res.setHeader('Accept-Ranges', 'none'); // a live stream cannot seek by bytes; players seek with ?start=
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');

  cmd.on('start', (command) => {
    proc = (cmd as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
    if (!proc?.pid) return;
    const pid = proc.pid;
    started = true;
    live++;
    log.debug('transcode start', { label, pid, command });
    transcodeEvents.emit('start', { pid, label, command });
    const stdout = proc.stdout;
    stdoutClosed = stdout ? new Promise((resolve) => stdout.once('close', () => resolve())) : Promise.resolve();
    stdout?.once('data', () => log.debug('transcode first bytes', { label, ms: Math.round(performance.now() - began) }));
    proc.once('exit', (code, signal) => {
      exited = true;
      live--;
      clearTimeout(killTimer);
      job.onExit?.();
      transcodeEvents.emit('exit', { pid, label, code, signal, clientGone });
    });
    if (clientGone) stop();
  });

  cmd.on('end', () => {
    // ffmpeg's exit may be reported before its last output was read: end after stdout closes.
    void stdoutClosed.then(() => res.end());
  });

  cmd.on('error', (err, _stdout, stderr) => {
    if (!started) job.onExit?.(); // no process: nobody else will release the input
    if (clientGone) {
      log.debug('transcode stopped, client gone', { label });
      return;
    }
    log.error('transcode failed', { label, error: err.message.split('\n')[0], stderr: (stderr ?? '').trim().slice(-800) });
    if (!res.headersSent) {
      res.writeHead(500, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ error: 'transcode failed' }));
    } else {
      res.destroy(); // cut the chunked stream so the player sees a failure, not a clean end
    }
  });

  res.once('close', () => {
    if (res.writableFinished) return;
    clientGone = true;
    stop();
  });

  // end: false, so a failed ffmpeg does not end the response as if it had finished.
  cmd.pipe(res, { end: false });
}
