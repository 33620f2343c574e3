// REST routes over what the server remembers: the library home's rows ("Continue watching",
// "Recently added", "Recently played"), one item's play state, and favourites (a heart on tracks,
// albums and videos). Items leave with signed URLs, as the library's lists do. Each answer is the
// signed-in user's own, within the libraries they may see.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Remembered, RememberedItem } from '../library/remembered.js';
import type { UrlSigner } from '../media/signing.js';
import { sessionOf } from '../auth/http.js';

const limit = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const added = limit.extend({ kind: z.enum(['audio', 'video']).optional() });
const favourite = z.strictObject({ kind: z.enum(['track', 'album', 'video']), id: z.coerce.number().int().positive() });
const itemId = z.strictObject({ id: z.coerce.number().int().positive() });

function parse<T extends z.ZodType>(schema: T, input: unknown, res: Response): z.infer<T> | undefined {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'request');
  res.status(400).json({ error: `bad ${key}: ${issue.message}` });
  return undefined;
}

export function rememberedRouter(d: { remembered: Remembered; signer: UrlSigner }): Router {
  const r = Router();
  const withUrls = ({ artHash, ...item }: RememberedItem) => ({
    ...item,
    ...(item.kind === 'album' ? {} : { streamUrl: d.signer.streamUrl(item.id) }),
    artUrl: artHash ? d.signer.artUrl(artHash, 300) : null,
  });
  const mine = (res: Response) => d.remembered.forUser(sessionOf(res).user);
  const row = (get: (mine: Remembered, limit: number) => RememberedItem[] | undefined, schema: z.ZodType<{ limit: number }> = limit) => (req: Request, res: Response) => {
    const q = parse(schema, req.query, res);
    if (!q) return;
    res.json({ items: (get(mine(res), q.limit) ?? []).map(withUrls) });
  };

  r.get('/api/library/continue', row((m, n) => m.continueWatching(n)));
  r.get('/api/library/recently-played', row((m, n) => m.recentlyPlayed(n)));
  r.get('/api/library/recently-added', (req, res) => {
    const q = parse(added, req.query, res);
    if (!q) return;
    res.json({ items: mine(res).recentlyAdded(q.limit, q.kind).map(withUrls) });
  });
  r.get('/api/library/items/:id/state', (req, res) => {
    const p = parse(itemId, req.params, res);
    if (!p) return;
    const m = mine(res);
    if (!m.sees(p.id)) return void res.status(404).json({ error: `no item ${p.id} in the library` });
    res.json({ id: p.id, ...m.state(p.id) });
  });

  r.get('/api/favourites', row((m, n) => m.favourites(n), z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) })));
  // A page of another site cannot send these: api/host-check.ts refuses its Origin first.
  const mark = (on: boolean) => (req: Request, res: Response) => {
    const p = parse(favourite, req.params, res);
    if (!p) return;
    if (!mine(res).setFavourite(p.kind, p.id, on)) return void res.status(404).json({ error: `no ${p.kind} ${p.id} in the library` });
    res.json({ kind: p.kind, id: p.id, favourite: on });
  };
  r.put('/api/favourites/:kind/:id', mark(true));
  r.delete('/api/favourites/:kind/:id', mark(false));
  return r;
}
