// Every Socket.IO message, in one file that the server, the CLI and the web remote all import.
// Commands are validated here at the edge: a malformed one is answered with an error naming
// what is wrong and never reaches playback.
import { z } from 'zod';
import { BROWSER_AUDIO, BROWSER_CONTAINERS, BROWSER_VIDEO } from '../../receivers/browser/support.js';
import { languageTag } from '../config/language-tag.js';

const receiver = z.string().min(1).max(200);
/** A group's name as a person types it ("Downstairs"); spaces around it do not count. */
const groupName = z.string().trim().min(1, 'a group needs a name').max(100);
/** A playlist by id, or by its name ("Road trip"). */
const playlist = z.union([z.number().int().positive(), z.string().trim().min(1).max(200)]);
const playlistName = z.string().trim().min(1, 'a playlist needs a name').max(200);
const listPage = { limit: z.number().int().min(1).max(10_000).default(500), offset: z.number().int().min(0).default(0) };
/** What goes into a playlist: library ids, what `playback:play` takes as text, an album, a receiver's queue, another playlist. */
const playlistSource = z.union([
  z.strictObject({ items: z.array(z.number().int().positive()).min(1).max(10_000) }),
  z.strictObject({ what: z.string().min(1).max(1000) }),
  z.strictObject({ album: z.number().int().positive() }),
  z.strictObject({ queue: receiver }),
  z.strictObject({ playlist }),
], { error: 'give items, what, album, queue or playlist' });

export const commands = {
  'receivers:list': z.strictObject({}),
  'library:search': z.strictObject({ q: z.string().max(200), limit: z.number().int().min(1).max(500).default(50) }),
  'playback:play': z.strictObject({
    receiver,
    /** Library ids, or one string: an id, a path in a library (absolute or relative), or search text. */
    what: z.union([z.array(z.number().int().positive()).min(1).max(10_000), z.string().min(1).max(1000)]),
    mode: z.enum(['replace', 'next', 'append']).default('replace'),
    startIndex: z.number().int().min(0).default(0),
    /** 'resume': the first item from where it was left (a video, long audio); 'start': from its start. */
    from: z.enum(['resume', 'start']).default('start'),
  }),
  'playback:pause': z.strictObject({ receiver }),
  'playback:resume': z.strictObject({ receiver }),
  'playback:stop': z.strictObject({ receiver }),
  'playback:next': z.strictObject({ receiver }),
  'playback:previous': z.strictObject({ receiver }),
  'playback:seek': z.strictObject({ receiver, position: z.number().min(0).max(7 * 24 * 3600) }),
  'playback:volume': z.strictObject({ receiver, level: z.number().min(0).max(1) }),
  'playback:mute': z.strictObject({ receiver, muted: z.boolean() }),
  'playback:status': z.strictObject({ receiver: receiver.optional() }),
  'playback:shuffle': z.strictObject({ receiver, on: z.boolean() }),
  'playback:repeat': z.strictObject({ receiver, mode: z.enum(['off', 'all', 'one']) }),
  /** The playing item's text track to show: `index` from the session's `subtitles`, null for none. */
  'playback:subtitles': z.strictObject({ receiver, index: z.number().int().min(0).max(999).nullable() }),
  /** The playing video's audio stream (language) to play: `index` from the session's `audioTracks`. */
  'playback:audio': z.strictObject({ receiver, index: z.number().int().min(0).max(63) }),
  'queue:jump': z.strictObject({ receiver, entryId: z.number().int().positive() }),
  'queue:move': z.strictObject({ receiver, entryId: z.number().int().positive(), to: z.number().int().min(0).max(100_000) }),
  'queue:remove': z.strictObject({ receiver, entryId: z.number().int().positive() }),
  /** Keeps a password for a receiver that asks for one (AirPlay pw=true); answers with the receiver, never the password. */
  'receiver:password': z.strictObject({ receiver, password: z.string().min(1).max(256) }),
  'receiver:forget-password': z.strictObject({ receiver }),
  /** Favourites (a heart): marks or unmarks a track, album or video by id; answers { kind, id, favourite }. */
  'favourite:set': z.strictObject({ kind: z.enum(['track', 'album', 'video']), id: z.number().int().positive(), on: z.boolean() }),
  'favourite:list': z.strictObject({ limit: z.number().int().min(1).max(500).default(100) }),
  /** "Move to…": what plays on `receiver` goes on on `to` (a receiver or a group), and `receiver` stops. */
  'playback:move': z.strictObject({ receiver, to: receiver }),
  /** Groups (multi-room): members and groups by id or name; each answers with the group as a receiver. */
  'group:create': z.strictObject({ name: groupName, members: z.array(receiver).min(1).max(32) }),
  'group:rename': z.strictObject({ group: receiver, name: groupName }),
  'group:add': z.strictObject({ group: receiver, member: receiver }),
  'group:remove': z.strictObject({ group: receiver, member: receiver }),
  /** Stops what the group plays and forgets it; answers with its id. */
  'group:delete': z.strictObject({ group: receiver }),
  /** One member's own volume (0..1), mute and delay (ms after the others, for a slow amplifier). */
  'group:member': z.strictObject({ group: receiver, member: receiver, level: z.number().min(0).max(1).optional(), muted: z.boolean().optional(), delayMs: z.number().int().min(0).max(2000).optional() })
    .refine((m) => m.level !== undefined || m.muted !== undefined || m.delayMs !== undefined, 'give level, muted or delayMs'),
  /** Playlists (server/api/playlist-handlers.ts): each change answers with the playlist; remotes hear `playlists`. */
  'playlist:list': z.strictObject({ q: z.string().max(200).optional(), ...listPage }),
  'playlist:items': z.strictObject({ playlist, ...listPage }),
  'playlist:create': z.strictObject({ name: playlistName, from: playlistSource.optional() }),
  'playlist:rename': z.strictObject({ playlist, name: playlistName }),
  'playlist:delete': z.strictObject({ playlist }),
  'playlist:add': z.strictObject({ playlist, from: playlistSource }),
  'playlist:remove': z.strictObject({ playlist, entryId: z.number().int().positive() }),
  'playlist:move': z.strictObject({ playlist, entryId: z.number().int().positive(), to: z.number().int().min(0).max(100_000) }),
  'playlist:play': z.strictObject({ playlist, receiver, shuffle: z.boolean().default(false), mode: z.enum(['replace', 'next', 'append']).default('replace'), startIndex: z.number().int().min(0).default(0) }),
  /** The playlist as .m3u8 text (as GET /api/playlists/:id/export.m3u8 gives it). */
  'playlist:export': z.strictObject({ playlist }),
  /** "This device": the page becomes a receiver (server/api/browser-players.ts), with what its media element plays; answers { id, name }. */
  'device:register': z.strictObject({
    pageId: z.string().regex(/^[0-9a-f]{32}$/, 'a page id is 32 hex digits'),
    support: z.strictObject({
      containers: z.array(z.enum(BROWSER_CONTAINERS)).max(20),
      video: z.array(z.strictObject({ codec: z.enum(BROWSER_VIDEO), maxLevel: z.number().int().min(1).max(255).optional() })).max(10),
      audio: z.array(z.enum(BROWSER_AUDIO)).max(20),
    }),
    /** The browser's languages (navigator.languages), most wanted first: the audio a video starts in here. */
    languages: z.array(languageTag).max(10).optional(),
  }),
  /** "This device" reports what its media element does. */
  'device:status': z.strictObject({
    receiver,
    state: z.enum(['idle', 'loading', 'buffering', 'playing', 'paused']),
    position: z.number().min(0).max(7 * 24 * 3600),
    duration: z.number().min(0).max(7 * 24 * 3600).nullable(),
    volume: z.strictObject({ level: z.number().min(0).max(1), muted: z.boolean() }),
    idleReason: z.enum(['finished', 'stopped', 'interrupted', 'error']).optional(),
    error: z.string().max(500).optional(),
  }),
} as const;

export type CommandName = keyof typeof commands;
export type CommandArgs<C extends CommandName> = z.input<(typeof commands)[C]>;

/**
 * Every acknowledgement: success with a payload, or a clear error. A command refused because the
 * receiver wants a password (or refused ours: `wrong`) says so with `code`, naming the receiver,
 * so a remote can ask for the password and send the command again.
 */
export type Ack<T = unknown> = { ok: true; data: T } | ({ ok: false; error: string } & Partial<PasswordRefusal>);

export interface PasswordRefusal {
  code: 'needs-password';
  /** Receiver id. */
  receiver: string;
  wrong: boolean;
}

/** Events the server pushes to every remote. */
export const pushed = ['snapshot', 'receiver', 'receiver:removed', 'session', 'library', 'playlists', 'auth:signed-out', 'device:command'] as const;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** The first problem with a message, in words: `"position": expected number, received string`. */
export function describeError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid message';
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const path = issue.path.map(String).join('.');
  return path ? `"${path}": ${issue.message}` : issue.message;
}
