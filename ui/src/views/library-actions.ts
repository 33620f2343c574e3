// What tapping a library row, or choosing from its ⋮ menu, does in each tab: play it (album →
// its tracks in order), queue it next or last, or browse into it (artist → albums → tracks).
import type { Controller, PlayMode } from '../data/actions.js';
import type { Album, Artist, LibraryKind, Photo, Track, Video } from '../data/types.js';
import type { RowHandlers } from '../components/rows.js';
import type { BrowsePage } from './rc-browse-page.js';

export interface Filter {
  artist?: { id: number; name: string };
  album?: { id: number; title: string };
}

export interface LibraryContext {
  controller: Controller | null;
  /** The loaded item at a row, if its page is here. */
  item(i: number): unknown;
  filter: Filter;
  /** Tracks are listed as their album, in order (an album filter and no search). */
  albumOrder: boolean;
  browse(filter: Filter, tab: LibraryKind): void;
  menu(heading: string, choices: [id: string, label: string][], act: (id: string) => void): void;
  openPhoto(p: Photo): void;
  openPage(p: BrowsePage): void;
}

const QUEUE: [string, string][] = [['replace', 'Play'], ['next', 'Play next'], ['append', 'Add to queue']];

export function rowHandlers(tab: LibraryKind, x: LibraryContext): RowHandlers {
  const c = x.controller;
  const at = <T>(i: number, f: (item: T) => void) => {
    const item = x.item(i) as T | undefined;
    if (item) f(item);
  };
  // In an album, "play" makes the album the queue from the tapped track.
  const playTrack = (t: Track, mode: PlayMode) =>
    void (x.albumOrder && mode === 'replace' && x.filter.album ? c?.playAlbum(x.filter.album.id, 'replace', t.id) : c?.play([t.id], mode));
  switch (tab) {
    case 'artists':
      return {
        open: (i) => at<Artist>(i, (a) => x.browse({ artist: { id: a.id, name: a.name } }, 'albums')),
        more: (i) =>
          at<Artist>(i, (a) =>
            x.menu(a.name, [['page', 'Open artist'], ['replace', 'Play all'], ['append', 'Add all to queue'], ['albums', 'Show albums'], ['tracks', 'Show tracks']], (id) => {
              if (id === 'page') x.openPage({ kind: 'artist', id: a.id, name: a.name });
              else if (id === 'albums' || id === 'tracks') x.browse({ artist: { id: a.id, name: a.name } }, id);
              else void c?.playArtist(a.id, id as PlayMode);
            }),
          ),
      };
    case 'albums':
      return {
        open: (i) => at<Album>(i, (a) => void c?.playAlbum(a.id)),
        more: (i) =>
          at<Album>(i, (a) =>
            x.menu(a.title, [['page', 'Open album'], ...QUEUE, ['tracks', 'Show tracks']], (id) => {
              if (id === 'page') x.openPage({ kind: 'album', id: a.id });
              else if (id === 'tracks') x.browse({ ...x.filter, album: { id: a.id, title: a.title } }, 'tracks');
              else void c?.playAlbum(a.id, id as PlayMode);
            }),
          ),
      };
    case 'tracks':
      return {
        open: (i) => at<Track>(i, (t) => playTrack(t, 'replace')),
        more: (i) =>
          at<Track>(i, (t) => {
            const toAlbum: [string, string][] = t.albumId && !x.filter.album ? [['album', 'Go to album']] : [];
            x.menu(t.title, [...QUEUE, ...toAlbum, ['artist', 'Go to artist']], (id) => {
              if (id === 'album' && t.albumId) x.openPage({ kind: 'album', id: t.albumId });
              else if (id === 'artist') x.openPage({ kind: 'artist', id: t.artistId, name: t.artist });
              else playTrack(t, id as PlayMode);
            });
          }),
      };
    case 'videos':
      return {
        open: (i) => at<Video>(i, (v) => void c?.play([v.id])),
        more: (i) => at<Video>(i, (v) => x.menu(v.title, QUEUE, (id) => void c?.play([v.id], id as PlayMode))),
      };
    case 'photos':
      return { open: (i) => at<Photo>(i, (p) => x.openPhoto(p)), more: () => undefined };
  }
}
