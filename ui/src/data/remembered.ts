// REST calls for what the server remembers: an item's resume position, the home rows and favourites.
import { getJson, readJson, type Fetch } from './library.js';

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

export const playState = (id: number, f: Fetch = fetch): Promise<PlayState> => getJson<PlayState>(`api/library/items/${id}/state`, f);

export const homeRow = (row: 'continue' | 'recently-added' | 'recently-played', f: Fetch = fetch): Promise<HomeItem[]> =>
  getJson<{ items: HomeItem[] }>(`api/library/${row}?limit=20`, f).then((b) => b.items);

export const favourites = (f: Fetch = fetch): Promise<HomeItem[]> => getJson<{ items: HomeItem[] }>('api/favourites', f).then((b) => b.items);

export const setFavourite = (kind: FavouriteKind, id: number, on: boolean, f: Fetch = fetch): Promise<unknown> =>
  f(`api/favourites/${kind}/${id}`, { method: on ? 'PUT' : 'DELETE' }).then((r) => readJson(r));
