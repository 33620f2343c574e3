// REST calls for what the server remembers: an item's resume position, the home rows and favourites.
import type { Fetch } from './library.js';

export interface PlayState { resumePosition: number | null; watched: boolean; playCount: number; lastPlayed: number | null }
export type FavouriteKind = 'track' | 'album' | 'video';

/** One card of a home row, as /api/library/continue (and the other rows) send it. */
export interface HomeItem extends PlayState {
  id: number;
  kind: 'audio' | 'video' | 'album';
  title: string;
  subtitle: string | null;
  duration: number | null;
  artUrl: string | null;
  favourite: boolean;
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export const playState = (id: number, f: Fetch = fetch): Promise<PlayState> => f(`api/library/items/${id}/state`).then((r) => json<PlayState>(r));

export const homeRow = (row: 'continue' | 'recently-added' | 'recently-played', f: Fetch = fetch): Promise<HomeItem[]> =>
  f(`api/library/${row}?limit=20`).then((r) => json<{ items: HomeItem[] }>(r)).then((b) => b.items);

export const favourites = (f: Fetch = fetch): Promise<HomeItem[]> => f('api/favourites').then((r) => json<{ items: HomeItem[] }>(r)).then((b) => b.items);

export const setFavourite = (kind: FavouriteKind, id: number, on: boolean, f: Fetch = fetch): Promise<unknown> =>
  f(`api/favourites/${kind}/${id}`, { method: on ? 'PUT' : 'DELETE' }).then((r) => json(r));
