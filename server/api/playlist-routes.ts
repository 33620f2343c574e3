// REST reads of playlists: the list, one playlist's entries (with signed stream and art URLs, like
// the library's lists) and its .m3u8 export, as the signed-in user sees them (their own and the
// imported ones, entries of their libraries). Changes go through the socket (playlist-handlers.ts).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { UrlSigner } from '../media/signing.js';
import { PlaybackError } from '../playback/session.js';
import { exportFileName, toM3u8 } from '../playlists/export.js';
import type { PlaylistService } from '../playlists/service.js';
import type { PlaylistStore } from '../playlists/store.js';
import { sessionOf } from '../auth/http.js';

const page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().max(200).optional(),
});
const idParam = z.coerce.number().int().positive();

export interface PlaylistApiDeps {
  playlists: PlaylistService;
  store: PlaylistStore;
  signer: UrlSigner;
  roots: Map<string, string>;
}

export function playlistRouter(d: PlaylistApiDeps): Router {
  const r = Router();
  const bad = (res: Response, error: string) => void res.status(400).json({ error });
  const query = (req: Request, res: Response) => {
    const q = page.safeParse(req.query);
    if (!q.success) return bad(res, `bad query parameter ${q.error.issues[0]?.path.join('.') || 'query'}: ${q.error.issues[0]?.message}`);
    return q.data;
  };
  /** The playlist named by :id, or a 400/404 already sent. */
  const found = (req: Request, res: Response) => {
    const id = idParam.safeParse(req.params.id);
    if (!id.success) return bad(res, 'a playlist id is a positive whole number');
    try {
      return d.playlists.find(id.data, sessionOf(res).user);
    } catch (err) {
      if (!(err instanceof PlaybackError)) throw err;
      res.status(404).json({ error: err.message });
      return undefined;
    }
  };

  r.get('/api/playlists', (req, res) => {
    const q = query(req, res);
    if (q) res.json(d.playlists.list(q, sessionOf(res).user));
  });
  r.get('/api/playlists/:id/items', (req, res) => {
    const q = query(req, res);
    const p = q && found(req, res);
    if (!q || !p) return;
    const { items, total, problems } = d.playlists.items(p.id, q, sessionOf(res).user);
    res.json({
      playlist: p, total, problems,
      items: items.map(({ artHash, ...e }) => ({ ...e, streamUrl: d.signer.streamUrl(e.id), artUrl: artHash ? d.signer.artUrl(artHash, 300) : null })),
    });
  });
  r.get('/api/playlists/:id/export.m3u8', (req, res) => {
    const p = found(req, res);
    if (!p) return;
    res.setHeader('Content-Type', 'audio/x-mpegurl; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(exportFileName(p.name))}`);
    res.send(toM3u8(p.name, d.store.paths(p.id, sessionOf(res).user), d.roots));
  });
  return r;
}
