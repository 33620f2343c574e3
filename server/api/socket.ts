// Socket.IO edge: validates every command against messages.ts, hands it to playback or the
// library, and acknowledges with { ok, data } or { ok: false, error } (a command sent without an
// acknowledgement callback hears back only when it fails: `command:error`). Pushes receiver and
// session changes to every connected remote (state-fanout.ts: serialized once per change); a new remote first gets a full snapshot. Receivers
// go out as ReceiverSecrets' view (needsPassword, hasPassword), never with a password.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ReceiverRegistry } from '../discovery/registry.js';
import type { ReceiverSecrets } from '../discovery/secrets.js';
import type { GroupService } from '../groups/service.js';
import type { LibraryQueries } from '../library/queries.js';
import type { Remembered } from '../library/remembered.js';
import type { Scanner } from '../library/scanner.js';
import { PlaybackError } from '../playback/session.js';
import type { PlaybackService } from '../playback/service.js';
import type { Logger } from '../util/log.js';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import { groupHandlers } from './group-handlers.js';
import { isBrowserId } from './browser-players.js';
import { playlistHandlers, type PlaylistDeps } from './playlist-handlers.js';
import { commands, describeError, isCommand, type Ack, type CommandName, type PasswordRefusal } from './messages.js';
import { resolveItems } from './resolve-items.js';
import { receiverRefusal, roleRefusal } from './command-roles.js';
import { guardSockets, socketSession } from '../auth/socket.js';
import type { AuthService } from '../auth/service.js';
import type { Session } from '../auth/types.js';
import type { BrowserPlayers } from './browser-players.js';
import { StateFanOut } from './state-fanout.js';

export interface SocketDeps {
  registry: ReceiverRegistry;
  playback: PlaybackService;
  queries: LibraryQueries;
  scanner: Scanner;
  libraryRoots: Map<string, string>;
  secrets: ReceiverSecrets;
  groups: GroupService;
  auth: AuthService;
  playlists: Omit<PlaylistDeps, 'queries' | 'playback' | 'roots'>;
  log: Logger;
  remembered: Remembered;
  /** "This device": pages that play themselves, each seen only by its own device. */
  browsers: BrowserPlayers;
}

type Handler = (args: never, who: Session, socket: Socket) => Promise<unknown> | unknown;

/** Playback's rules, or a receiver's answer passed on as a plain Error with a message for people
 *  (the drivers signal "nothing is loaded", "refused PAUSE" that way); a subclass such as a
 *  TypeError or a database error is a fault. */
const isRefusal = (err: unknown): boolean => err instanceof PlaybackError || (err instanceof Error && err.constructor === Error);

export function attachSocketApi(http: HttpServer, d: SocketDeps): Server {
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 1e6 });
  guardSockets(io, d.auth);
  const session = (receiver: string) => d.playback.session(receiver);
  const known = (receiver: string) => {
    const r = d.registry.find(receiver);
    if (!r) throw new PlaybackError(`unknown receiver "${receiver}"`);
    return r;
  };
  const view = (r: ReceiverDescriptor) => d.secrets.view(r);
  // `who` sent the command: what the library shows them is limited to their libraries.
  const seen = (socket: Socket) => (id: string) => d.browsers.visibleTo(id, socket);
  const handlers: { [C in CommandName]: (args: ReturnType<(typeof commands)[C]['parse']>, who: Session, socket: Socket) => unknown } = {
    'receivers:list': (_, __, socket) => d.registry.list().filter((r) => seen(socket)(r.id)).map(view),
    'library:search': ({ q, limit }, who) => ({ tracks: d.queries.tracks({ q, limit, offset: 0, libraries: who.user.libraries }), videos: d.queries.videos({ q, limit, offset: 0, libraries: who.user.libraries }) }),
    'playback:play': ({ receiver, what, mode, startIndex, from }, who) => session(receiver).play(resolveItems(what, d.queries, d.libraryRoots, who.user.libraries), mode, startIndex, from, who.user.id),
    'playback:pause': ({ receiver }) => session(receiver).pause(),
    'playback:resume': ({ receiver }) => session(receiver).resume(),
    'playback:stop': ({ receiver }) => session(receiver).stop(),
    'playback:next': ({ receiver }) => session(receiver).next(),
    'playback:previous': ({ receiver }) => session(receiver).previous(),
    'playback:seek': ({ receiver, position }) => session(receiver).seek(position),
    'playback:volume': ({ receiver, level }) => session(receiver).setVolume(level),
    'playback:mute': ({ receiver, muted }) => session(receiver).setMuted(muted),
    'playback:status': ({ receiver }, _, socket) => (receiver ? [session(receiver).snapshot()] : d.playback.snapshots().filter((x) => seen(socket)(x.receiverId))),
    'playback:shuffle': ({ receiver, on }) => session(receiver).setShuffle(on),
    'playback:repeat': ({ receiver, mode }) => session(receiver).setRepeat(mode),
    'playback:subtitles': ({ receiver, index }) => session(receiver).setSubtitle(index),
    'playback:audio': ({ receiver, index }) => session(receiver).setAudio(index),
    'queue:jump': ({ receiver, entryId }) => session(receiver).jump(entryId),
    'queue:move': ({ receiver, entryId, to }) => session(receiver).moveEntry(entryId, to),
    'queue:remove': ({ receiver, entryId }) => session(receiver).removeEntry(entryId),
    'receiver:password': ({ receiver, password }) => {
      const r = known(receiver);
      d.secrets.setPassword(r.id, password);
      return view(r);
    },
    'receiver:forget-password': ({ receiver }) => {
      const r = known(receiver);
      d.secrets.forgetPassword(r.id);
      return view(r);
    },
    'favourite:set': ({ kind, id, on }, who) => {
      if (!d.remembered.forUser(who.user).setFavourite(kind, id, on)) throw new PlaybackError(`no ${kind} ${id} in the library`);
      return { kind, id, favourite: on };
    },
    'favourite:list': ({ limit }, who) => ({ items: d.remembered.forUser(who.user).favourites(limit) }),
    'device:register': ({ pageId, support, languages }, who, socket) => d.browsers.register(socket, who, pageId, support, languages ?? []),
    'device:status': ({ receiver, ...status }, _, socket) => d.browsers.report(socket, receiver, status),
    ...groupHandlers(d.groups, d.playback, view),
    ...playlistHandlers({ ...d.playlists, queries: d.queries, playback: d.playback, roots: d.libraryRoots }),
  };

  /** The refusal answer when a failed command failed because its receiver asked for a password. */
  const refusal = (args: unknown, mark: number, err: unknown): (PasswordRefusal & { error: string }) | undefined => {
    // A move's `to` is the receiver that may have asked (the one it goes to), else the command's receiver.
    const { to, receiver: named } = args as { to?: unknown; receiver?: unknown };
    const r = [to, named].map((x) => (typeof x === 'string' ? d.registry.find(x) : undefined)).find((x) => x && d.secrets.refusalSince(x.id, mark));
    const why = r && d.secrets.refusalSince(r.id, mark);
    // The session rewords driver errors but keeps their text: another command's refusal is not this one's.
    if (!r || !why || !String((err as Error)?.message).includes(why.message)) return undefined;
    return { code: 'needs-password', receiver: r.id, wrong: why.wrong, error: why.wrong ? `Wrong password for ${r.name}` : `${r.name} needs a password` };
  };

  const snapshot = (socket: Socket) => ({ receivers: d.registry.list().filter((r) => seen(socket)(r.id)).map(view), sessions: d.playback.snapshots().filter((x) => seen(socket)(x.receiverId)), library: { ...d.queries.counts(), scanning: d.scanner.scanning, progress: d.scanner.progress } });

  const fan = new StateFanOut(io);
  io.on('connection', (socket: Socket) => {
    fan.add(socket);
    socket.emit('snapshot', snapshot(socket));
    socket.onAny((event: unknown, ...rest: unknown[]) => {
      const ack = typeof rest.at(-1) === 'function' ? (rest.pop() as (a: Ack) => void) : undefined;
      // Without an acknowledgement callback only a failure comes back (as `command:error`): a
      // sender that asked for no answer gets none for a success.
      const reply = (a: Ack) => (ack ? ack(a) : a.ok ? undefined : socket.emit('command:error', a));
      const invalid = (error: string) => {
        d.log.debug('command invalid', { error });
        reply({ ok: false, error });
      };
      if (typeof event !== 'string' || !isCommand(event)) return invalid(`unknown command ${JSON.stringify(String(event)).slice(0, 100)}`);
      const who = socketSession(socket);
      const forbidden = (error: string) => {
        d.log.info('command refused', { command: event, user: who.user.name, reason: 'role' });
        reply({ ok: false, error });
      };
      const notAllowed = roleRefusal(who, event);
      if (notAllowed) return forbidden(notAllowed);
      const parsed = commands[event].safeParse(rest[0] ?? {});
      if (!parsed.success) return invalid(`${event}: ${describeError(parsed.error)}`);
      // Another device's own page is no receiver here: as unknown as one that does not exist.
      const named = ['receiver', 'to', 'group', 'member'].map((k) => (parsed.data as Record<string, unknown>)[k]).filter((x): x is string => typeof x === 'string');
      const hidden = named.find((x) => { const id = d.registry.find(x)?.id; return id !== undefined && !d.browsers.visibleTo(id, socket); });
      if (hidden !== undefined && event !== 'device:status') return reply({ ok: false, error: `unknown receiver "${hidden}"` });
      const own = typeof (parsed.data as { receiver?: unknown }).receiver === 'string' && isBrowserId(d.registry.find((parsed.data as { receiver: string }).receiver)?.id ?? '');
      const notHere = own ? undefined : receiverRefusal(who, event, parsed.data as Record<string, unknown>, (r) => d.registry.find(r)?.id);
      if (notHere) return forbidden(notHere);
      const mark = d.secrets.mark();
      void (async () => {
        try {
          const data = await (handlers[event] as Handler)(parsed.data as never, who, socket);
          reply({ ok: true, data });
        } catch (err) {
          const asked = refusal(parsed.data, mark, err);
          if (asked) return reply({ ok: false, ...asked });
          const reason = err instanceof Error ? err.message : String(err);
          // Refusals ("nothing is playing", a receiver's "nothing is loaded") are the user's to read;
          // a fault of ours (a TypeError and the like) is ours to log, with where it happened.
          if (isRefusal(err)) d.log.info('command refused', { command: event, reason });
          else d.log.error('command failed', { command: event, reason, stack: (err as Error)?.stack?.split('\n').slice(1, 4).join(' | ') });
          reply({ ok: false, error: reason });
        }
      })();
    });
  });

  // A page's own receiver ("This device") and its session go only to that device's connections;
  // the rest once to every view (StateFanOut).
  const publish = (id: string, event: string, payload: unknown): void => {
    const room = d.browsers.roomOf(id);
    if (room) io.to(room).emit(event, payload);
    else fan.publishAll(event, payload);
  };
  d.registry.on('changed', (r) => publish(r.id, 'receiver', view(r)));
  d.registry.on('removed', (id) => publish(id, 'receiver:removed', { id }));
  d.secrets.on('changed', (id) => {
    const r = d.registry.get(id);
    if (r) publish(id, 'receiver', view(r));
  });
  d.playback.on('session', (s) => publish(s.receiverId, 'session', s));
  d.playlists.playlists.on('changed', (c) => fan.publishAll('playlists', c));
  d.scanner.on('progress', (p) => io.volatile.emit('library', { scanning: true, progress: p }));
  d.scanner.on('idle', () => io.emit('library', { ...d.queries.counts(), scanning: false, progress: null }));
  return io;
}
