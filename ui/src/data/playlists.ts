// REST reads of playlists (server/api/playlist-routes.ts); changes go as socket commands (actions.ts).
import type { Fetch } from './library.js';
import type { Page } from './types.js';

export interface Playlist {
  id: number;
  name: string;
  trackCount: number;
  /** Seconds. */
  duration: number;
  /** Imported from a .m3u/.m3u8/.pls file in a library: it follows that file, read-only here. */
  imported: boolean;
  source: { library: string; path: string } | null;
}

export interface PlaylistEntry {
  entryId: number;
  position: number;
  /** The library item. */
  id: number;
  kind: 'audio' | 'video' | 'photo';
  title: string;
  artist: string | null;
  album: string | null;
  duration: number | null;
  artUrl: string | null;
}

export interface PlaylistProblem {
  line: number;
  entry: string;
  reason: string;
}

export interface PlaylistItems extends Page<PlaylistEntry> {
  playlist: Playlist;
  problems: PlaylistProblem[];
}

async function json<T>(url: string, f: Fetch): Promise<T> {
  const res = await f(url);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `playlists: HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export const fetchPlaylists = (f: Fetch = fetch): Promise<Page<Playlist>> => json('api/playlists?limit=10000', f);
export const fetchPlaylistItems = (id: number, f: Fetch = fetch): Promise<PlaylistItems> => json(`api/playlists/${id}/items?limit=10000`, f);
export const exportUrl = (id: number): string => `api/playlists/${id}/export.m3u8`;
