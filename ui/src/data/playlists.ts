// REST reads of playlists (server/api/playlist-routes.ts); changes go as socket commands (actions.ts).
import { getJson, type Fetch } from './library.js';
import type { Page } from './types.js';
import type { PlaylistEntryRow, PlaylistProblem, PlaylistRow } from '../../../server/playlists/types.js';

export type { PlaylistProblem };
export type Playlist = PlaylistRow;
/** An entry as the route answers it: its art as a URL. */
export type PlaylistEntry = Omit<PlaylistEntryRow, 'artHash'> & { artUrl: string | null };

export interface PlaylistItems extends Page<PlaylistEntry> {
  playlist: Playlist;
  problems: PlaylistProblem[];
}

export const fetchPlaylists = (f: Fetch = fetch): Promise<Page<Playlist>> => getJson('api/playlists?limit=10000', f);
export const fetchPlaylistItems = (id: number, f: Fetch = fetch): Promise<PlaylistItems> => getJson(`api/playlists/${id}/items?limit=10000`, f);
export const exportUrl = (id: number): string => `api/playlists/${id}/export.m3u8`;
