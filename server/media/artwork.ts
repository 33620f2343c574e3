// GET|HEAD /art/:hash[?size=N]: an artwork original or its cached JPEG thumbnail. Originals in
// artDir are content-addressed; folder art (cover.jpg beside the music) may change in place, so
// ETags come from size+mtime and thumbnails are remade when the original is newer.
import type { Request, Response } from 'express';
import { dirname, join } from 'node:path';
import type { Logger } from '../util/log.js';
import { sendOpenFile } from './direct.js';
import { replyError } from './reply.js';
import { isInside, openInside } from './safe-open.js';
import { ART_HASH, ART_SIZES } from './signing.js';
import type { Thumbnailer } from './thumbnail.js';

export interface ArtFile { path: string; mime: string; root?: string }
export interface ResolvedArt { hash: string; path: string; mime: string; root: string }

// The URL lives at most an hour or so (exp), which bounds how long a stale copy can be used.
const LONG_CACHE = 'private, max-age=31536000, immutable';

export function resolveArt(
  hash: string,
  deps: { artDir: string; artMime?(hash: string): string | undefined; artById?(hash: string): ArtFile | undefined },
): ResolvedArt | undefined {
  if (!ART_HASH.test(hash)) return undefined;
  const byId = deps.artById?.(hash);
  if (byId) {
    const root = byId.root ?? (isInside(byId.path, deps.artDir) ? deps.artDir : dirname(byId.path));
    return { hash, path: byId.path, mime: byId.mime, root };
  }
  const mime = deps.artMime?.(hash);
  return mime ? { hash, path: join(deps.artDir, hash), mime, root: deps.artDir } : undefined;
}

export async function serveArtwork(req: Request, res: Response, query: URLSearchParams, art: ResolvedArt | undefined, deps: { thumbnails: Thumbnailer; log: Logger }): Promise<void> {
  if (!art) return replyError(res, 404, 'unknown artwork');
  const sizeParam = query.get('size');
  const size = sizeParam === null ? undefined : Number(sizeParam);
  if (size !== undefined && !(ART_SIZES as readonly number[]).includes(size)) {
    return replyError(res, 400, `bad parameter size: one of ${ART_SIZES.join(', ')}`);
  }
  if (size === undefined) {
    const opened = await openInside(art.path, art.root);
    if (!opened.ok) return replyError(res, opened.status, 'artwork not available');
    return sendOpenFile(req, res, opened.fd, opened.stat, { mime: art.mime, cacheControl: LONG_CACHE });
  }
  let thumb;
  try {
    thumb = await deps.thumbnails.open(art, size);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404 || status === 403) return replyError(res, status, 'artwork not available');
    if (status === 503) return (res.setHeader('Retry-After', '5'), replyError(res, 503, 'the server is transcoding all it can: try again'));
    deps.log.error('thumbnail failed', { hash: art.hash, size, error: (err as Error).message });
    return replyError(res, 500, 'thumbnail failed');
  }
  sendOpenFile(req, res, thumb.fd, thumb.stat, { mime: 'image/jpeg', cacheControl: LONG_CACHE });
}
