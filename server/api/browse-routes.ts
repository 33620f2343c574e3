// REST routes behind the browse pages: an album's page, the genres and years to filter by, TV
// shows (show → seasons → episodes), the photo timeline and photo folders. Mounted by
// library-routes.ts, with its query validation and its signed URLs.
import { Router } from 'express';
import { z } from 'zod';
import { BrowseQueries } from '../library/browse-queries.js';
import type { LibraryQueries } from '../library/queries.js';

type WithUrls = <T extends { id: number; artHash: string | null }>(item: T) => Omit<T, 'artHash'> & { streamUrl: string; artUrl: string | null };
type WithArt = <T extends { artHash: string | null }>(item: T) => Omit<T, 'artHash'> & { artUrl: string | null };
/** library-routes.ts's parse: the query, with the signed-in user's library limit. */
type Parse = <T extends z.ZodType>(schema: T, req: import('express').Request, res: import('express').Response) => (z.infer<T> & { libraries: string[] | null }) | undefined;

const none = z.strictObject({});
const showQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().max(200).optional(),
});

export function browseRouter(queries: LibraryQueries, parse: Parse, withUrls: WithUrls, withArt: WithArt): Router {
  const r = Router();
  const b = new BrowseQueries(queries);

  r.get('/api/library/albums/:id', (req, res) => {
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    if (!id.success) return void res.status(400).json({ error: 'bad album id' });
    const q = parse(none, req, res);
    if (!q) return;
    const page = b.album(id.data, q.libraries);
    if (!page) return void res.status(404).json({ error: 'no such album' });
    res.json({ ...withArt(page.album), genres: page.genres, discs: page.discs, tracks: page.tracks.map(withUrls) });
  });
  r.get('/api/library/genres', (req, res) => {
    const q = parse(none, req, res);
    if (q) res.json({ items: b.genres(q.libraries) });
  });
  r.get('/api/library/years', (req, res) => {
    const q = parse(none, req, res);
    if (q) res.json({ items: b.years(q.libraries) });
  });
  r.get('/api/library/shows', (req, res) => {
    const q = parse(showQuery, req, res);
    if (!q) return;
    const all = b.shows(q.q, q.libraries);
    const items = all.slice(q.offset, q.offset + q.limit).map((s) => ({
      ...withArt(s),
      seasons: s.seasons.map((season) => ({ ...season, episodes: season.episodes.map(withUrls) })),
    }));
    res.json({ items, total: all.length });
  });
  r.get('/api/library/photos/timeline', (req, res) => {
    const q = parse(none, req, res);
    if (q) res.json(b.photoTimeline(q.libraries));
  });
  r.get('/api/library/photos/folders', (req, res) => {
    const q = parse(none, req, res);
    if (q) res.json({ items: b.photoFolders(q.libraries).map(withArt) });
  });
  return r;
}
