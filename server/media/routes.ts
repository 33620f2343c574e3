// The media HTTP endpoints a receiver or browser fetches, mounted at the app root:
//   GET|HEAD /media/:id   direct play (byte ranges) or, with ?c=..., a live transcode (&start= seconds)
//   GET|HEAD /art/:hash   artwork original or ?size= thumbnail
//   GET /subs/:id/:n      the n-th text subtitle of a video, as WebVTT
//   GET|HEAD /hls/:id/index.m3u8, /hls/:id/<n>.ts (HEVC: init.mp4, <n>.m4s)   an HLS transcode (hls-*.ts)
// Every URL is signed (signing.ts). Nothing outside a library folder is ever served
// (safe-open.ts). Handlers only await file-system calls: no blocking work on the event loop.
import express, { type Request, type Response } from 'express';
import type { Logger } from '../util/log.js';
import { resolveArt, serveArtwork, type ArtFile } from './artwork.js';
import { sendOpenFile } from './direct.js';
import { replyError } from './reply.js';
import { closeQuietly, fdPath, openInside } from './safe-open.js';
import type { StreamTarget, UrlSigner } from './signing.js';
import { createThumbnailer } from './thumbnail.js';
import { buildTranscodeArgs } from './transcode-args.js';
import { planFromQuery, planMime } from './transcode-params.js';
import { warmUpFfmpeg } from './transcode.js';
import { createFfmpegSlots, transcodeCost, type FfmpegSlots } from './ffmpeg-slots.js';
import { createLiveStreams } from './live-streams.js';
import { serveSubtitle } from './subtitles.js';
import { createHlsManager, type HlsManager } from './hls-sessions.js';
import { serveHls } from './hls-route.js';
import type { SubtitleInfo } from '../library/probe-types.js';
import { captionUrl, dlnaHeaders, parseTimeSeek, requestBase, timeSeekReply } from '../dlna/media-headers.js';

export interface MediaFile { id: number; path: string; libraryRoot: string; mime: string; size: number; mtimeMs: number; kind: 'audio' | 'video' | 'photo'; duration?: number | null; videoCodec?: string | null }

export interface MediaDeps {
  signer: UrlSigner;
  fileById(id: number): MediaFile | undefined;
  /** Artwork stored at <artDir>/<hash>: its mime; undefined = unknown hash → 404. Give this or artById. */
  artMime?(hash: string): string | undefined;
  /** Artwork anywhere (e.g. a cover.jpg beside the music): its file, and the folder it must stay
   *  inside (default: artDir if the path is in it, else the file's own folder). Wins over artMime. */
  artById?(hash: string): ArtFile | undefined;
  /** originals at <artDir>/<hash>; thumbnails cached under <artDir>/thumbs/<size>/<hash>.jpg */
  artDir: string;
  /** A video's text subtitles, in the order its `subtitles` list gives them. */
  subtitlesById?(id: number): SubtitleInfo[] | undefined;
  ffmpegPath: string;
  ffprobePath: string;
  log: Logger;
  /** HLS streams (ffmpeg + temp dir each); made with defaults (60 s idle) when not given. */
  hls?: HlsManager;
  /** The cap on ffmpeg processes (shared by every route here, and by `hls`), and per URL. */
  limits?: MediaLimits;
  /** Per-user caps of a fetch that carries a device cookie (the remote's own player; receivers carry none). */
  userCaps?: (req: Request) => UserCaps | undefined;
}

export interface UserCaps {
  /** Who, for counting their transcodes. */
  user: string;
  /** Live transcodes of theirs at once. */
  maxTranscodes?: number | undefined;
  /** From outside: an original above this is redirected to a transcode at it. */
  bitrateKbps?: number | undefined;
}

export interface MediaLimits {
  /** Default: one per core (ffmpeg-slots.ts). */
  slots?: FfmpegSlots;
  /** ffmpeg processes one live-transcode URL may run at once (default 2). */
  perUrl?: number;
  /** A live-transcode reader that takes nothing for this long is dropped (default 30 s). */
  idleMs?: number;
}

export type { ArtFile };

export function mediaRouter(deps: MediaDeps): express.Router {
  if (!deps.artMime && !deps.artById) throw new Error('mediaRouter needs artMime or artById');
  const router = express.Router();
  const slots = deps.limits?.slots ?? createFfmpegSlots();
  const thumbnails = createThumbnailer({ artDir: deps.artDir, ffmpegPath: deps.ffmpegPath, slots });
  warmUpFfmpeg(deps.ffmpegPath);
  const hls = deps.hls ?? createHlsManager({ ffmpegPath: deps.ffmpegPath, log: deps.log, slots });
  const live = createLiveStreams({ slots, log: deps.log, ...(deps.limits?.perUrl ? { perUrl: deps.limits.perUrl } : {}), ...(deps.limits?.idleMs ? { idleMs: deps.limits.idleMs } : {}) });

  // Signature first, over the raw path as sent (no decoding, no normalising), so anything not
  // minted by us (encoded dots, extra slashes, tampered params) stops here with 403.
  const verified = (req: Request, res: Response): URLSearchParams | undefined => {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const verdict = deps.signer.verify(pathname, query);
    if (verdict === 'ok') return query;
    replyError(res, 403, verdict === 'expired' ? 'link expired' : 'bad signature');
    return undefined;
  };

  router.get('/media/:id', async (req, res) => {
    const query = verified(req, res);
    if (!query) return;
    const id = String(req.params.id);
    const file = /^\d{1,15}$/.test(id) ? deps.fileById(Number(id)) : undefined;
    if (!file) return replyError(res, 404, 'no such item');

    const parsed = planFromQuery(query, file.kind === 'video', file.duration);
    if (!parsed.ok) return replyError(res, 400, `bad parameter ${parsed.param}: ${parsed.message}`);
    if (parsed.plan && file.kind === 'photo') return replyError(res, 400, 'bad parameter c: photos are not transcoded');
    if (parsed.plan?.container === 'hls') return replyError(res, 400, 'bad parameter c: HLS is served at /hls');

    // DLNA renderers seek a transcode by time in a header (the URL's signature stays as minted).
    const seek = parseTimeSeek(req.headers['timeseekrange.dlna.org']);
    if (seek === 'bad' || (seek && file.duration && seek.start > file.duration)) return replyError(res, 416, 'bad TimeSeekRange.dlna.org');
    if (seek && !parsed.plan) return replyError(res, 406, 'time seek is for transcodes; seek the original by byte ranges');
    if (seek && parsed.plan) {
      if (seek.start > 0) parsed.plan.start = seek.start;
      else delete parsed.plan.start;
      res.setHeader('TimeSeekRange.dlna.org', timeSeekReply(seek.start, file.duration));
    }

    const caps = deps.userCaps?.(req);
    if (!parsed.plan && caps?.bitrateKbps) {
      const capped = cappedTarget(file, caps.bitrateKbps);
      if (capped) {
        res.setHeader('Cache-Control', 'no-store');
        return res.redirect(302, deps.signer.streamUrl(file.id, capped));
      }
    }
    const opened = await openInside(file.path, file.libraryRoot);
    if (!opened.ok) {
      deps.log.warn('media refused', { id: file.id, status: opened.status, reason: opened.reason });
      return replyError(res, opened.status, opened.status === 404 ? 'file missing' : 'forbidden');
    }
    for (const [k, v] of Object.entries(dlnaHeaders(req, { mime: parsed.plan ? planMime(parsed.plan) : file.mime, transcoded: parsed.plan !== undefined }))) res.setHeader(k, v);
    // Samsung TVs ask for the subtitle URL with the media (getCaptionInfo.sec: 1).
    const caption = req.headers['getcaptioninfo.sec'] === '1' && file.kind === 'video' ? captionUrl(requestBase(req), deps.signer, file.id, deps.subtitlesById?.(file.id)) : undefined;
    if (caption) res.setHeader('CaptionInfo.sec', caption);
    if (!parsed.plan) {
      return sendOpenFile(req, res, opened.fd, opened.stat, { mime: file.mime, cacheControl: 'private' });
    }
    const mime = planMime(parsed.plan);
    if (req.method === 'HEAD') {
      closeQuietly(opened.fd);
      res.writeHead(200, { 'Content-Type': mime, 'Accept-Ranges': 'none', 'Cache-Control': 'no-store' });
      return void res.end();
    }
    // ffmpeg reads the descriptor we checked (through /proc), not the path again. One signed URL
    // (item, target, start) fetched again shares its ffmpeg.
    live.serve(res, req.originalUrl, {
      ffmpegPath: deps.ffmpegPath,
      inputPath: fdPath(opened.fd, opened.realPath),
      args: buildTranscodeArgs(parsed.plan, { videoCodec: file.videoCodec ?? null }),
      mime,
      label: `media/${file.id}`,
      log: deps.log,
      onExit: () => closeQuietly(opened.fd),
      cost: transcodeCost(parsed.plan.videoCodec),
    }, caps?.maxTranscodes ? { key: caps.user, max: caps.maxTranscodes } : undefined);
  });

  router.get('/hls/:id/:file', (req, res) => serveHls(req, res, { ...deps, hls }));

  router.get('/subs/:id/:n', async (req, res) => {
    const query = verified(req, res);
    if (!query) return;
    const format = query.get('f') ?? 'vtt';
    if (format !== 'vtt' && format !== 'srt') return replyError(res, 400, 'bad parameter f: vtt or srt');
    const id = String(req.params.id);
    const n = String(req.params.n);
    const file = /^\d{1,15}$/.test(id) ? deps.fileById(Number(id)) : undefined;
    const sub = file && /^\d{1,3}$/.test(n) ? deps.subtitlesById?.(file.id)?.[Number(n)] : undefined;
    if (!file || !sub) return replyError(res, 404, 'no such subtitle');
    await serveSubtitle(res, { videoPath: file.path, libraryRoot: file.libraryRoot, subtitle: sub }, { ffmpegPath: deps.ffmpegPath, slots, log: deps.log }, format);
  });

  router.get('/art/:hash', async (req, res) => {
    const query = verified(req, res);
    if (!query) return;
    const art = resolveArt(String(req.params.hash), deps);
    await serveArtwork(req, res, query, art, { thumbnails, log: deps.log });
  });

  return router;
}

/** The transcode a capped session gets instead of an original above `kbps` (its average rate), or none. */
export function cappedTarget(file: MediaFile, kbps: number): StreamTarget | undefined {
  if (file.kind === 'photo' || !file.duration || (file.size * 8) / file.duration <= kbps * 1000) return undefined;
  if (file.kind === 'audio') return { container: 'mp4', audioCodec: 'aac', bitrate: kbps * 1000 };
  const [maxWidth, maxHeight] = kbps <= 1000 ? [854, 480] : kbps <= 3000 ? [1280, 720] : [1920, 1080];
  return { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', bitrate: kbps * 1000, maxWidth, maxHeight };
}
