// REST routes over the library: health, stats, and the browse lists. Query strings are
// validated with zod at the edge; every item leaves with a signed streamUrl and an artUrl.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { LibraryQueries } from '../library/queries.js';
import type { Remembered } from '../library/remembered.js';
import type { Scanner } from '../library/scanner.js';
import type { UrlSigner } from '../media/signing.js';
import { sessionOf } from '../auth/http.js';
import { browseRouter } from './browse-routes.js';

const id = z.coerce.number().int().positive();
const page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().max(200).optional(),
});
const browse = { genre: z.string().min(1).max(200).optional(), year: z.coerce.number().int().min(0).max(9999).optional(), sort: z.enum(['name', 'added', 'year']).optional() };
const trackQuery = page.extend({ albumId: id.optional(), artistId: id.optional(), ...browse });
const albumQuery = page.extend({ artistId: id.optional(), ...browse });
const photoQuery = page.extend({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM').optional(),
  folder: z.string().max(1000).optional(),
  library: z.string().max(200).optional(),
});

export interface LibraryApiDeps {
  queries: LibraryQueries;
  scanner: Scanner;
  signer: UrlSigner;
  version: string;
  libraries: { name: string; kind: string }[];
  /** Resume positions, watched and favourites shown on the lists (library/remembered.ts). */
  remembered?: Remembered;
}

/** The query, limited to the libraries the signed-in user may see. */
function parse<T extends z.ZodType>(schema: T, req: Request, res: Response): (z.infer<T> & { libraries: string[] | null }) | undefined {
  const r = schema.safeParse(req.query);
  if (r.success) return { ...(r.data as object), libraries: sessionOf(res).user.libraries } as z.infer<T> & { libraries: string[] | null };
  const issue = r.error.issues[0]!;
  const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'query');
  res.status(400).json({ error: `bad query parameter ${key}: ${issue.message}` });
  return undefined;
}

export function libraryRouter(d: LibraryApiDeps): Router {
  const r = Router();
  const art = (hash: string | null) => (hash ? d.signer.artUrl(hash, 300) : null);
  const withUrls = <T extends { id: number; artHash: string | null }>({ artHash, ...item }: T) => ({
    ...item,
    streamUrl: d.signer.streamUrl(item.id),
    artUrl: art(artHash),
  });
  const withArt = <T extends { artHash: string | null }>({ artHash, ...item }: T) => ({ ...item, artUrl: art(artHash) });
  /** A page of videos or tracks with where each was left (resumePosition, seconds or null), watched and the heart. */
  const remembered = <T extends { id: number }>(kind: 'track' | 'video', items: T[], res: Response) => {
    const ids = items.map((i) => i.id);
    const mine = d.remembered?.forUser(sessionOf(res).user);
    const states = mine?.states(ids);
    const favs = mine?.favouriteIds(kind, ids);
    return items.map((i) => {
      const st = states?.get(i.id);
      return { ...i, resumePosition: st?.resumePosition ?? null, watched: st?.watched ?? false, playCount: st?.playCount ?? 0, lastPlayed: st?.lastPlayed ?? null, favourite: favs?.has(i.id) ?? false };
    });
  };

  r.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', version: d.version });
  });

  r.get('/api/library/stats', (_req, res) => {
    const mine = sessionOf(res).user.libraries;
    res.json({ ...d.queries.counts(), scanning: d.scanner.scanning, progress: d.scanner.progress, libraries: mine ? d.libraries.filter((l) => mine.includes(l.name)) : d.libraries });
  });

  r.get('/api/library/tracks', (req, res) => {
    const q = parse(trackQuery, req, res);
    if (!q) return;
    const { items, total } = d.queries.tracks(q);
    res.json({ items: remembered('track', items.map(withUrls), res), total });
  });
  r.get('/api/library/albums', (req, res) => {
    const q = parse(albumQuery, req, res);
    if (!q) return;
    const { items, total } = d.queries.albums(q);
    const favs = d.remembered?.forUser(sessionOf(res).user).favouriteIds('album', items.map((a) => a.id));
    res.json({ items: items.map((a) => ({ ...withArt(a), favourite: favs?.has(a.id) ?? false })), total });
  });
  r.get('/api/library/artists', (req, res) => {
    const q = parse(page, req, res);
    if (!q) return;
    const { items, total } = d.queries.artists(q);
    res.json({ items: items.map(withArt), total });
  });
  r.get('/api/library/videos', (req, res) => {
    const q = parse(page, req, res);
    if (!q) return;
    const { items, total } = d.queries.videos(q);
    res.json({ items: remembered('video', items.map(withUrls), res), total });
  });
  r.get('/api/library/photos', (req, res) => {
    const q = parse(photoQuery, req, res);
    if (!q) return;
    const { items, total } = d.queries.photos(q);
    // Where a photo was taken is the owner's to see: it can give away a home or a school.
    const owner = sessionOf(res).user.role === 'owner';
    res.json({ items: items.map((p) => withUrls(owner ? p : { ...p, latitude: null, longitude: null })), total });
  });
  r.use(browseRouter(d.queries, parse, withUrls, withArt));
  r.get('/api/library/errors', (req, res) => {
    const q = parse(page, req, res);
    if (!q) return;
    res.json(d.queries.errors(q));
  });
  // A page of another site cannot send this: api/host-check.ts refuses its Origin first.
  r.post('/api/library/rescan', (_req, res) => {
    // At most one scan running and one queued: a request while one is queued joins it. Deep: a
    // person asking to rescan expects files rewritten in place (same folder mtime) to be found too.
    const { state, done } = d.scanner.requestScanAll({ deep: true });
    done.catch(() => {}); // the scanner logs its own failures
    res.status(202).json({ scanning: true, state, coalesced: state === 'coalesced' });
  });
  return r;
}
