// Who may send each Socket.IO command: the least role, beside messages.ts so a new command cannot
// be added without saying (the Record type makes a missing entry a compile error). Guests play
// only to the receivers the owner allowed them; members and the owner play to all.
import type { Role, Session } from '../auth/types.js';
import { atLeast } from '../auth/types.js';
import type { CommandName } from './messages.js';

export const commandRoles: Record<CommandName, Role> = {
  'receivers:list': 'guest',
  'library:search': 'guest',
  'playback:play': 'guest',
  'playback:pause': 'guest',
  'playback:resume': 'guest',
  'playback:stop': 'guest',
  'playback:next': 'guest',
  'playback:previous': 'guest',
  'playback:seek': 'guest',
  'playback:volume': 'guest',
  'playback:mute': 'guest',
  'playback:status': 'guest',
  'playback:shuffle': 'guest',
  'playback:repeat': 'guest',
  'playback:subtitles': 'guest',
  'playback:audio': 'guest',
  'queue:jump': 'member',
  'queue:move': 'member',
  'queue:remove': 'member',
  'receiver:password': 'owner',
  'receiver:forget-password': 'owner',
  'playback:move': 'member',
  'group:create': 'member',
  'group:rename': 'member',
  'group:add': 'member',
  'group:remove': 'member',
  'group:delete': 'member',
  'group:member': 'member',
  'playlist:list': 'guest',
  'playlist:items': 'guest',
  'playlist:export': 'guest',
  'playlist:play': 'guest',
  'playlist:create': 'member',
  'playlist:rename': 'member',
  'playlist:delete': 'member',
  'playlist:add': 'member',
  'playlist:remove': 'member',
  'playlist:move': 'member',
  'favourite:list': 'guest',
  'favourite:set': 'member',
  'device:register': 'guest',
  'device:status': 'guest',
};

/** Why `session` may not send `command` at all (its role is below the command's), or undefined.
 *  Asked before the arguments are read: a refused command learns nothing about them. */
export function roleRefusal(session: Session, command: CommandName): string | undefined {
  const needed = commandRoles[command];
  return atLeast(session.user.role, needed) ? undefined : `${command}: only ${needed === 'owner' ? 'the owner' : 'members'} may do that`;
}

/** Why a guest may not send this command to its receiver (receivers resolved to ids by `idOf`), or undefined. */
export function receiverRefusal(session: Session, command: CommandName, args: Record<string, unknown>, idOf: (receiver: string) => string | undefined): string | undefined {
  if (session.user.role !== 'guest' || typeof args.receiver !== 'string') return undefined;
  const id = idOf(args.receiver);
  return id && session.user.receivers.includes(id) ? undefined : `${command}: ${session.user.name} may not play to "${args.receiver}"`;
}
