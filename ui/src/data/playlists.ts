// REST reads of playlists (server/api/playlist-routes.ts); changes go as socket commands (actions.ts).
import { getJson, type Fetch } from './library.js';
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

export const fetchPlaylists = (f: Fetch = fetch): Promise<Page<Playlist>> => getJson('api/playlists?limit=10000', f);
export const fetchPlaylistItems = (id: number, f: Fetch = fetch): Promise<PlaylistItems> => getJson(`api/playlists/${id}/items?limit=10000`, f);
export const exportUrl = (id: number): string => `api/playlists/${id}/export.m3u8`;
