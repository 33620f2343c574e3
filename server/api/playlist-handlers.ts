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
import type { Session } from '../auth/types.js';
import type { CommandName, commands } from './messages.js';
import { resolveItems } from './resolve-items.js';

type PlaylistCommand = Extract<CommandName, `playlist:${string}`>;
type Args<C extends PlaylistCommand> = ReturnType<(typeof commands)[C]['parse']>;
export type PlaylistHandlers = { [C in PlaylistCommand]: (args: Args<C>, who: Session) => unknown };
type Source = NonNullable<Args<'playlist:create'>['from']>;

export interface PlaylistDeps {
  playlists: PlaylistService;
  store: PlaylistStore;
  queries: LibraryQueries;
  playback: PlaybackService;
  roots: Map<string, string>;
}

export function playlistHandlers(d: PlaylistDeps): PlaylistHandlers {
  // What goes in is checked against the user's libraries (the service refuses an item outside them).
  const itemsOf = (from: Source, { user }: Session): number[] => {
    if ('items' in from) return from.items;
    if ('what' in from) return resolveItems(from.what, d.queries, d.roots, user.libraries);
    if ('album' in from) {
      const ids = d.queries.tracks({ albumId: from.album, limit: MAX_PLAYLIST, offset: 0, libraries: user.libraries }).items.map((t) => t.id);
      if (!ids.length) throw new PlaybackError(`no album ${from.album}`);
      return ids;
    }
    if ('queue' in from) {
      const ids = d.playback.session(from.queue).snapshot().queue.map((e) => e.itemId);
      if (!ids.length) throw new PlaybackError(`the queue of ${from.queue} is empty`);
      return ids;
    }
    const ids = d.playlists.itemIds(from.playlist, user);
    if (!ids.length) throw new PlaybackError(`playlist "${d.playlists.find(from.playlist, user).name}" is empty`);
    return ids;
  };
  return {
    'playlist:list': ({ q, limit, offset }, { user }) => d.playlists.list({ q, limit, offset }, user),
    'playlist:items': ({ playlist, limit, offset }, { user }) => d.playlists.items(playlist, { limit, offset }, user),
    'playlist:create': ({ name, from }, who) => d.playlists.create(name, from ? itemsOf(from, who) : [], who.user),
    'playlist:rename': ({ playlist, name }, { user }) => d.playlists.rename(playlist, name, user),
    'playlist:delete': ({ playlist }, { user }) => d.playlists.delete(playlist, user),
    'playlist:add': ({ playlist, from }, who) => d.playlists.add(playlist, itemsOf(from, who), who.user),
    'playlist:remove': ({ playlist, entryId }, { user }) => d.playlists.remove(playlist, entryId, user),
    'playlist:move': ({ playlist, entryId, to }, { user }) => d.playlists.move(playlist, entryId, to, user),
    'playlist:play': async ({ playlist, receiver, shuffle, mode, startIndex }, { user }) => {
      const p = d.playlists.find(playlist, user);
      const ids = d.store.itemIds(p.id, user);
      if (!ids.length) throw new PlaybackError(`playlist "${p.name}" is empty`);
      const session = d.playback.session(receiver);
      if (!shuffle) return session.play(ids, mode, startIndex, 'start', user.id);
      if (mode !== 'replace') return session.play(shuffled(ids), mode, 0, 'start', user.id);
      // A random first entry, then the session's own shuffle of the rest (so "shuffle off" plays
      // on in the playlist's order, the first one moved to the front).
      const first = Math.floor(Math.random() * ids.length);
      await session.play([ids[first]!, ...ids.slice(0, first), ...ids.slice(first + 1)], 'replace', 0, 'start', user.id);
      return session.setShuffle(true);
    },
    'playlist:export': ({ playlist }, { user }) => {
      const p = d.playlists.find(playlist, user);
      return { name: p.name, text: toM3u8(p.name, d.store.paths(p.id, user), d.roots) };
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
