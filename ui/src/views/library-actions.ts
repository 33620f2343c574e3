// What tapping a library row, or choosing from its ⋮ menu, does in each tab: play it (album →
// its tracks in order), queue it next or last, or browse into it (artist → albums → tracks).
import type { Controller, PlayMode } from '../data/actions.js';
import type { Album, Artist, LibraryKind, Photo, Track, Video } from '../data/types.js';
import type { RowHandlers } from '../components/rows.js';
import { playResumable } from '../components/rc-resume-prompt.js';
import { setFavourite } from '../data/remembered.js';

/** Long audio (an audiobook) is resumed like a video: server/library/remembered.ts's LONG_AUDIO_S. */
const LONG_AUDIO_S = 20 * 60;
/** The ⋮ menu's heart: marks the item a favourite, or takes it off. */
const heart = (on: boolean | undefined): [string, string] => (on ? ['unfavourite', 'Remove from favourites'] : ['favourite', 'Add to favourites']);
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
  /** Opens "add to playlist" for what the server resolves from `from`. */
  addToPlaylist(heading: string, from: { items: number[] } | { album: number }): void;
  openPage(p: BrowsePage): void;
}

const QUEUE: [string, string][] = [['replace', 'Play'], ['next', 'Play next'], ['append', 'Add to queue'], ['playlist', 'Add to playlist…']];

export function rowHandlers(tab: LibraryKind, x: LibraryContext): RowHandlers {
  const c = x.controller;
  const at = <T>(i: number, f: (item: T) => void) => {
    const item = x.item(i) as T | undefined;
    if (item) f(item);
  };
  // In an album, "play" makes the album the queue from the tapped track.
  const playTrack = (t: Track, mode: PlayMode) =>
    void (x.albumOrder && mode === 'replace' && x.filter.album ? c?.playAlbum(x.filter.album.id, 'replace', t.id)
      : mode === 'replace' && (t.duration ?? 0) > LONG_AUDIO_S ? playResumable(c, t) : c?.play([t.id], mode));
  /** Marks or unmarks a favourite; the row shows it when it is read again. */
  const favour = (kind: 'track' | 'album' | 'video', item: { id: number; favourite?: boolean }, id: string) => {
    item.favourite = id === 'favourite';
    void setFavourite(kind, item.id, item.favourite).catch(() => (item.favourite = !item.favourite));
  };
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
            x.menu(a.title, [['page', 'Open album'], ...QUEUE, ['tracks', 'Show tracks'], heart(a.favourite)], (id) => {
              if (id === 'page') x.openPage({ kind: 'album', id: a.id });
              else if (id.endsWith('favourite')) favour('album', a, id);
              else if (id === 'tracks') x.browse({ ...x.filter, album: { id: a.id, title: a.title } }, 'tracks');
              else if (id === 'playlist') x.addToPlaylist(a.title, { album: a.id });
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
            x.menu(t.title, [...QUEUE, ...toAlbum, ['artist', 'Go to artist'], heart(t.favourite)], (id) => {
              if (id.endsWith('favourite')) favour('track', t, id);
              else if (id === 'album' && t.albumId) x.openPage({ kind: 'album', id: t.albumId });
              else if (id === 'artist') x.openPage({ kind: 'artist', id: t.artistId, name: t.artist });
              else if (id === 'playlist') x.addToPlaylist(t.title, { items: [t.id] });
              else playTrack(t, id as PlayMode);
            });
          }),
      };
    case 'videos':
      return {
        open: (i) => at<Video>(i, (v) => void playResumable(c, v)),
        more: (i) => at<Video>(i, (v) => x.menu(v.title, [...QUEUE, heart(v.favourite)], (id) => (id.endsWith('favourite') ? favour('video', v, id) : id === 'playlist' ? x.addToPlaylist(v.title, { items: [v.id] }) : void c?.play([v.id], id as PlayMode)))),
      };
    case 'photos':
      return { open: (i) => at<Photo>(i, (p) => x.openPhoto(p)), more: () => undefined };
  }
}
