// GET|HEAD /hls/<id>/index.m3u8 and /hls/<id>/<n>.ts: the signature (over /hls/<id> and the
// query) is checked before anything else, on the raw path; the playlist is written from the
// item's duration; a segment comes from the stream's ffmpeg (hls-sessions.ts).
import type { Request, Response } from 'express';
import type { Logger } from '../util/log.js';
import { HLS_SEGMENT_SECONDS } from './hls-args.js';
import { writePlaylist } from './hls-playlist.js';
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
  if (plan.videoCodec === 'copy') return replyError(res, 400, 'bad parameter vc: HLS re-encodes the video');
  if (plan.start !== undefined) return replyError(res, 400, 'bad parameter start: an HLS player seeks by segment');
  const duration = file.duration ?? 0;
  if (!(duration > 0)) return replyError(res, 409, 'duration unknown: cannot write an HLS playlist');

  if (at.segment === null) {
    query.delete('start');
    res.writeHead(200, { 'Content-Type': PLAYLIST_MIME, 'Cache-Control': 'no-store' });
    return void res.end(req.method === 'HEAD' ? undefined : writePlaylist(duration, HLS_SEGMENT_SECONDS, query.toString()));
  }

  // One stream per signed URL: item, plan and the stream id `s` (not the expiry).
  const key = [...query.entries()].filter(([k]) => k !== 'exp' && k !== 'sig' && k !== 'start').sort().map((e) => e.join('=')).join('&') + `@${file.id}`;
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const got = await deps.hls.segment(
    key,
    at.segment,
    async () => {
      const opened = await openInside(file.path, file.libraryRoot);
      if (!opened.ok) {
        deps.log.warn('media refused', { id: file.id, status: opened.status, reason: opened.reason });
        return { ok: false, status: opened.status, reason: opened.status === 404 ? 'file missing' : 'forbidden' };
      }
      return {
        key,
        plan,
        duration,
        inputPath: fdPath(opened.fd, opened.realPath),
        release: () => closeQuietly(opened.fd),
        source: { videoCodec: file.videoCodec ?? null },
        label: `hls/${file.id}`,
      };
    },
    abort.signal,
  );
  if (res.headersSent || abort.signal.aborted) return;
  if (!got.ok) return replyError(res, got.status, got.reason);
  res.sendFile(got.path, { headers: { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private' }, dotfiles: 'allow' }, (err) => {
    if (err && !res.headersSent) replyError(res, 404, 'segment gone');
  });
}
