// GET /subs/:id/:n — the n-th text subtitle of a video as WebVTT: a .srt/.vtt file beside the
// video (checked to be inside the library like any media file), or an embedded text stream
// extracted by ffmpeg. Receivers fetch text tracks with XHR, so the answer allows any origin.
// With ?f=srt, SubRip instead (Samsung and LG TVs over DLNA read only that), converted by ffmpeg.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Response } from 'express';
import type { SubtitleInfo } from '../library/probe-types.js';
import type { Logger } from '../util/log.js';
import type { FfmpegSlots } from './ffmpeg-slots.js';
import { replyError } from './reply.js';
import { closeQuietly, fdPath, openInside } from './safe-open.js';
import { srtToVtt } from './srt-to-vtt.js';

const maxBytes = 10 << 20;

export interface SubtitleSource {
  videoPath: string;
  libraryRoot: string;
  subtitle: SubtitleInfo;
}

function sendVtt(res: Response, vtt: string): void {
  res.writeHead(200, { 'Content-Type': 'text/vtt; charset=utf-8', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'private' });
  res.end(vtt);
}

/** How long an extraction waits for a free ffmpeg slot before answering 503. */
const SLOT_WAIT_MS = 15_000;

export async function serveSubtitle(res: Response, src: SubtitleSource, run: { ffmpegPath: string; slots: FfmpegSlots; log: Logger }, format: 'vtt' | 'srt' = 'vtt'): Promise<void> {
  const { ffmpegPath, log } = run;
  const { subtitle: sub } = src;
  if (sub.source === 'external' && format === 'vtt') {
    const opened = await openInside(sub.path!, src.libraryRoot);
    if (!opened.ok) return replyError(res, opened.status, opened.status === 404 ? 'subtitle file missing' : 'forbidden');
    if (opened.stat.size > maxBytes) {
      closeQuietly(opened.fd);
      return replyError(res, 413, 'subtitle file too large');
    }
    const text = await readFile(fdPath(opened.fd, opened.realPath), 'utf8').finally(() => closeQuietly(opened.fd));
    return sendVtt(res, sub.format === 'vtt' ? text : srtToVtt(text));
  }
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const slot = await run.slots.take(SLOT_WAIT_MS, abort.signal);
  if (!slot) {
    res.setHeader('Retry-After', '5');
    return replyError(res, 503, 'the server is transcoding all it can: try again');
  }
  const external = sub.source === 'external';
  const opened = await openInside(external ? sub.path! : src.videoPath, src.libraryRoot);
  if (!opened.ok) return (slot.release(), replyError(res, opened.status, 'forbidden'));
  const input = ['-i', fdPath(opened.fd, opened.realPath), ...(external ? [] : ['-map', `0:${sub.streamIndex}`])];
  const ff = spawn(ffmpegPath, ['-v', 'error', '-nostdin', ...input, '-f', format === 'srt' ? 'srt' : 'webvtt', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let size = 0;
  let stderr = '';
  ff.stdout.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxBytes) ff.kill('SIGKILL');
    else chunks.push(c);
  });
  ff.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-800)));
  res.once('close', () => ff.exitCode === null && ff.kill('SIGKILL'));
  ff.once('close', (code) => {
    slot.release();
    closeQuietly(opened.fd);
    if (res.destroyed) return;
    if (code !== 0) {
      log.warn('subtitle extraction failed', { path: src.videoPath, stream: sub.streamIndex, reason: stderr.trim() });
      return replyError(res, 500, 'subtitle extraction failed');
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (format === 'vtt') return sendVtt(res, text);
    res.writeHead(200, { 'Content-Type': 'text/srt; charset=utf-8', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'private' });
    res.end(text);
  });
}
