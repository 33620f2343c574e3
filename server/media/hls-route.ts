// GET|HEAD /hls/<id>/index.m3u8 and /hls/<id>/<n>.ts (a copied HEVC picture: /hls/<id>/init.mp4
// and <n>.m4s, fragmented MP4): the signature (over /hls/<id> and the query) is checked before
// anything else, on the raw path; the playlist is written from the item's duration; a segment
// comes from the stream's ffmpeg (hls-stream.ts, kept by hls-sessions.ts).
import type { Request, Response } from 'express';
import type { Logger } from '../util/log.js';
import { HLS_SEGMENT_SECONDS } from './hls-args.js';
import { copySegmentStarts, keyframeTimes, lengthsFromStarts } from './hls-keyframes.js';
import { segmentDurations, writePlaylist } from './hls-playlist.js';
import type { HlsManager } from './hls-sessions.js';
import { parseHlsPath } from './hls-url.js';
import { replyError } from './reply.js';
import { closeQuietly, fdPath, openInside } from './safe-open.js';
import type { UrlSigner } from './signing.js';
import { planFromQuery } from './transcode-params.js';
import type { MediaFile } from './routes.js';

export interface HlsRouteDeps {
  signer: UrlSigner;
  fileById(id: number): MediaFile | undefined;
  hls: HlsManager;
  ffprobePath: string;
  log: Logger;
}

const PLAYLIST_MIME = 'application/vnd.apple.mpegurl';

export async function serveHls(req: Request, res: Response, deps: HlsRouteDeps): Promise<void> {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const at = parseHlsPath(pathname);
  if (!at) return replyError(res, 404, 'not found');
  const verdict = deps.signer.verify(at.signedPath, query);
  if (verdict !== 'ok') return replyError(res, 403, verdict === 'expired' ? 'link expired' : 'bad signature');

  const file = deps.fileById(at.itemId);
  if (!file || file.kind === 'photo') return replyError(res, 404, 'no such item');
  const parsed = planFromQuery(query, file.kind === 'video');
  if (!parsed.ok) return replyError(res, 400, `bad parameter ${parsed.param}: ${parsed.message}`);
  const plan = parsed.plan;
  if (plan?.container !== 'hls') return replyError(res, 400, 'bad parameter c: must be hls');
  // A copied picture: H.264 into MPEG-TS segments, HEVC into fMP4 ones (Apple's HLS takes HEVC in
  // fMP4 only). HEVC is not encoded for HLS (the decision re-encodes to H.264): in MPEG-TS an
  // Apple TV would refuse it, and forced keyframes cannot be cut on a copy run's timeline.
  if (plan.videoCodec === 'copy' && file.videoCodec !== 'h264' && file.videoCodec !== 'hevc') return replyError(res, 400, 'bad parameter vc: only H.264 and HEVC are copied into HLS');
  if (plan.videoCodec === 'hevc') return replyError(res, 400, 'bad parameter vc: HEVC is copied into HLS, not encoded');
  const fmp4 = plan.videoCodec === 'copy' && file.videoCodec === 'hevc';
  // Each kind of stream answers only its own file names.
  if (at.file === (fmp4 ? 'ts' : 'm4s') || (at.file === 'init' && !fmp4)) return replyError(res, 404, 'not found');
  if (query.has('start')) return replyError(res, 400, 'bad parameter start: an HLS player seeks by segment');
  const duration = file.duration ?? 0;
  if (!(duration > 0)) return replyError(res, 409, 'duration unknown: cannot write an HLS playlist');

  const opened = await openInside(file.path, file.libraryRoot);
  if (!opened.ok) {
    deps.log.warn('media refused', { id: file.id, status: opened.status, reason: opened.reason });
    return replyError(res, opened.status, opened.status === 404 ? 'file missing' : 'forbidden');
  }
  const input = fdPath(opened.fd, opened.realPath);
  // Segment starts: fixed lengths for a re-encoded picture, its own keyframes for a copied one.
  let starts: number[] | undefined;
  let keyframes: number[] | undefined;
  if (plan.videoCodec === 'copy') {
    try {
      keyframes = await keyframeTimes(deps.ffprobePath, input, `${opened.realPath}:${opened.stat.size}:${opened.stat.mtimeMs}`);
      starts = copySegmentStarts(keyframes, duration, HLS_SEGMENT_SECONDS);
    } catch (err) {
      closeQuietly(opened.fd);
      deps.log.warn('hls keyframes unreadable', { id: file.id, reason: (err as Error).message });
      return replyError(res, 500, 'cannot read the video keyframes');
    }
  }

  if (at.segment === null) {
    closeQuietly(opened.fd);
    const lengths = starts ? lengthsFromStarts(starts, duration) : segmentDurations(duration, HLS_SEGMENT_SECONDS);
    res.writeHead(200, { 'Content-Type': PLAYLIST_MIME, 'Cache-Control': 'no-store' });
    return void res.end(req.method === 'HEAD' ? undefined : writePlaylist(lengths, query.toString(), { fmp4 }));
  }

  // One stream per signed URL: item, plan and the stream id `s` (not the expiry).
  const key = [...query.entries()].filter(([k]) => k !== 'exp' && k !== 'sig').sort().map((e) => e.join('=')).join('&') + `@${file.id}`;
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  // The descriptor opened above goes to a new stream (ffmpeg reads it for the stream's life), else is closed.
  let kept = false;
  const got = await deps.hls.segment(
    key,
    at.segment,
    async () => {
      kept = true;
      return {
        key,
        plan,
        duration,
        ...(starts ? { starts } : {}),
        ...(fmp4 ? { fmp4 } : {}),
        ...(keyframes ? { keyframes } : {}),
        inputPath: input,
        release: () => closeQuietly(opened.fd),
        source: { videoCodec: file.videoCodec ?? null },
        label: `hls/${file.id}`,
      };
    },
    abort.signal,
  );
  if (!kept) closeQuietly(opened.fd);
  if (res.headersSent || abort.signal.aborted) return;
  if (!got.ok) {
    if (got.status === 503) res.setHeader('Retry-After', '5');
    return replyError(res, got.status, got.reason);
  }
  res.sendFile(got.path, { headers: { 'Content-Type': fmp4 ? 'video/mp4' : 'video/mp2t', 'Cache-Control': 'private' }, dotfiles: 'allow' }, (err) => {
    if (err && !res.headersSent) replyError(res, 404, 'segment gone');
  });
}
