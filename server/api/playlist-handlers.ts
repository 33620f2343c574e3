// Socket commands for playlists: made, changed and played over the same edge as every command
// (validated in messages.ts). What goes in is resolved here: library ids, "what" as `play` takes
// it, an album's tracks in disc/track order, a receiver's queue ("save queue as playlist"), or
// another playlist. Playing goes through the receiver's session like any queue.
import type { LibraryQueries } from '../library/queries.js';
import { PlaybackError } from '../playback/session.js';
import type { PlaybackService } from '../playback/service.js';
import { toM3u8 } from '../playlists/export.js';
import { MAX_PLAYLIST, type PlaylistService } from '../playlists/service.js';
import type { PlaylistStore } from '../playlists/store.js';
import type { CommandName, commands } from './messages.js';
import { resolveItems } from './resolve-items.js';

type PlaylistCommand = Extract<CommandName, `playlist:${string}`>;
type Args<C extends PlaylistCommand> = ReturnType<(typeof commands)[C]['parse']>;
export type PlaylistHandlers = { [C in PlaylistCommand]: (args: Args<C>) => unknown };
type Source = NonNullable<Args<'playlist:create'>['from']>;

export interface PlaylistDeps {
  playlists: PlaylistService;
  store: PlaylistStore;
  queries: LibraryQueries;
  playback: PlaybackService;
  roots: Map<string, string>;
}

export function playlistHandlers(d: PlaylistDeps): PlaylistHandlers {
  const itemsOf = (from: Source): number[] => {
    if ('items' in from) return from.items;
    if ('what' in from) return resolveItems(from.what, d.queries, d.roots);
    if ('album' in from) {
      const ids = d.queries.tracks({ albumId: from.album, limit: MAX_PLAYLIST, offset: 0 }).items.map((t) => t.id);
      if (!ids.length) throw new PlaybackError(`no album ${from.album}`);
      return ids;
    }
    if ('queue' in from) {
      const ids = d.playback.session(from.queue).snapshot().queue.map((e) => e.itemId);
      if (!ids.length) throw new PlaybackError(`the queue of ${from.queue} is empty`);
      return ids;
    }
    const ids = d.playlists.itemIds(from.playlist);
    if (!ids.length) throw new PlaybackError(`playlist "${d.playlists.find(from.playlist).name}" is empty`);
    return ids;
  };
  return {
    'playlist:list': ({ q, limit, offset }) => d.playlists.list({ q, limit, offset }),
    'playlist:items': ({ playlist, limit, offset }) => d.playlists.items(playlist, { limit, offset }),
    'playlist:create': ({ name, from }) => d.playlists.create(name, from ? itemsOf(from) : []),
    'playlist:rename': ({ playlist, name }) => d.playlists.rename(playlist, name),
    'playlist:delete': ({ playlist }) => d.playlists.delete(playlist),
    'playlist:add': ({ playlist, from }) => d.playlists.add(playlist, itemsOf(from)),
    'playlist:remove': ({ playlist, entryId }) => d.playlists.remove(playlist, entryId),
    'playlist:move': ({ playlist, entryId, to }) => d.playlists.move(playlist, entryId, to),
    'playlist:play': async ({ playlist, receiver, shuffle, mode, startIndex }) => {
      const p = d.playlists.find(playlist);
      const ids = d.store.itemIds(p.id);
      if (!ids.length) throw new PlaybackError(`playlist "${p.name}" is empty`);
      const session = d.playback.session(receiver);
      if (!shuffle) return session.play(ids, mode, startIndex);
      if (mode !== 'replace') return session.play(shuffled(ids), mode);
      // A random first entry, then the session's own shuffle of the rest (so "shuffle off" plays
      // on in the playlist's order, the first one moved to the front).
      const first = Math.floor(Math.random() * ids.length);
      await session.play([ids[first]!, ...ids.slice(0, first), ...ids.slice(first + 1)], 'replace', 0);
      return session.setShuffle(true);
    },
    'playlist:export': ({ playlist }) => {
      const p = d.playlists.find(playlist);
      return { name: p.name, text: toM3u8(p.name, d.store.paths(p.id), d.roots) };
    },
  };
}

function shuffled<T>(list: T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
