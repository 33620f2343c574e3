// Socket commands for groups (multi-room) and "move to…": each group command answers with the
// group as remotes see receivers; every remote hears the change as a pushed `receiver` (or
// `receiver:removed` when a group is deleted) from the registry, like any receiver's.
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { GroupService } from '../groups/service.js';
import type { PlaybackService } from '../playback/service.js';
import type { CommandName, commands } from './messages.js';

type GroupCommand = Extract<CommandName, `group:${string}` | 'playback:move'>;
type Args<C extends GroupCommand> = ReturnType<(typeof commands)[C]['parse']>;
export type GroupHandlers = { [C in GroupCommand]: (args: Args<C>) => unknown };

export function groupHandlers(groups: GroupService, playback: PlaybackService, view: (d: ReceiverDescriptor) => unknown): GroupHandlers {
  return {
    'group:create': ({ name, members }) => view(groups.create(name, members)),
    'group:rename': ({ group, name }) => view(groups.rename(group, name)),
    'group:add': async ({ group, member }) => view(await groups.add(group, member)),
    'group:remove': async ({ group, member }) => view(await groups.remove(group, member)),
    'group:member': async ({ group, member, level, muted, delayMs }) => view(await groups.setMember(group, member, { ...(level !== undefined ? { level } : {}), ...(muted !== undefined ? { muted } : {}), ...(delayMs !== undefined ? { delayMs } : {}) })),
    'group:delete': async ({ group }) => {
      // What the group plays stops before the group goes (and its saved queue with it).
      const id = groups.idOf(group);
      await playback.forget(id);
      return { id: groups.delete(id) };
    },
    'playback:move': ({ receiver, to }) => playback.move(receiver, to),
  };
}
