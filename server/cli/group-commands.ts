// `group …` and `move FROM TO` for the command-line remote (main.ts): groups are made, changed and
// listed over the same socket commands as the web remote's (server/api/messages.ts).
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { CommandArgs, CommandName } from '../api/messages.js';
import type { SessionSnapshot } from '../playback/session.js';
import { CliError } from './errors.js';
import { groupLines, sessionLine } from './format.js';

export const groupUsage = `groups:
  group list
  group create NAME --with RECEIVER [--with RECEIVER …]
  group add|remove GROUP RECEIVER
  group rename GROUP NEW_NAME
  group delete GROUP
  group volume GROUP RECEIVER 0-100      (one member's own volume; the group's: volume N --to GROUP)
  group mute GROUP RECEIVER on|off
  group delay GROUP RECEIVER MS          (0-2000: this member plays that much later, for a slow amplifier)
  move FROM TO                           (what plays on FROM goes on on TO, where it was; FROM stops)
Names with spaces go in quotes: group create "Living Room and Kitchen" --with Kitchen --with "Living Room".`;

export interface CliContext {
  call<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<unknown>;
  print(data: unknown, human: () => string): void;
  receivers: ReceiverDescriptor[];
  nameOf(id: string): string;
}

function numberArg(given: string | undefined, what: string, label: string, min: number, max: number): number {
  if (given === undefined) throw new CliError(`${what} needs ${label}: a number from ${min} to ${max}`);
  const n = Number(given);
  if (given.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new CliError(`${what} ${given}: ${label} must be a number from ${min} to ${max}`);
  return n;
}

/** Exactly these positional arguments, or the usage line of the subcommand. */
function args(rest: string[], names: string[], sub: string): string[] {
  if (rest.length !== names.length) {
    const extra = rest.length > names.length ? ` (names with spaces go in quotes)` : '';
    throw new CliError(`usage: group ${sub} ${names.join(' ')}${extra}`);
  }
  return rest;
}

export async function groupCommand(rest: string[], members: string[], c: CliContext): Promise<void> {
  const [sub, ...more] = rest;
  const show = (g: unknown) => c.print(g, () => groupLines(g as ReceiverDescriptor));
  switch (sub) {
    case undefined:
    case 'list': {
      const groups = c.receivers.filter((r) => r.type === 'group');
      return c.print(groups, () => (groups.length ? groups.map(groupLines).join('\n') : 'no groups yet: group create NAME --with RECEIVER --with RECEIVER'));
    }
    case 'create': {
      const [name] = args(more, ['NAME'], 'create');
      if (members.length === 0) throw new CliError(`group create needs its members: --with RECEIVER, once for each`);
      return show(await c.call('group:create', { name: name!, members }));
    }
    case 'add':
    case 'remove': {
      const [group, member] = args(more, ['GROUP', 'RECEIVER'], sub);
      return show(await c.call(`group:${sub}`, { group: group!, member: member! }));
    }
    case 'rename': {
      const [group, name] = args(more, ['GROUP', 'NEW_NAME'], sub);
      return show(await c.call('group:rename', { group: group!, name: name! }));
    }
    case 'delete': {
      const [group] = args(more, ['GROUP'], sub);
      const gone = (await c.call('group:delete', { group: group! })) as { id: string };
      return c.print(gone, () => `deleted ${c.nameOf(gone.id)}`);
    }
    case 'volume': {
      const [group, member, level] = args(more, ['GROUP', 'RECEIVER', '0-100'], sub);
      return show(await c.call('group:member', { group: group!, member: member!, level: numberArg(level, 'group volume', 'the level (percent)', 0, 100) / 100 }));
    }
    case 'mute': {
      const [group, member, on] = args(more, ['GROUP', 'RECEIVER', 'on|off'], sub);
      if (on !== 'on' && on !== 'off') throw new CliError(`group mute ${on}: say on or off`);
      return show(await c.call('group:member', { group: group!, member: member!, muted: on === 'on' }));
    }
    case 'delay': {
      const [group, member, ms] = args(more, ['GROUP', 'RECEIVER', 'MS'], sub);
      const delayMs = numberArg(ms, 'group delay', 'the delay (ms)', 0, 2000);
      if (!Number.isInteger(delayMs)) throw new CliError(`group delay ${ms}: the delay is whole milliseconds`);
      return show(await c.call('group:member', { group: group!, member: member!, delayMs }));
    }
    default:
      throw new CliError(`unknown group command "${sub}"\n${groupUsage}`);
  }
}

export async function moveCommand(rest: string[], c: CliContext): Promise<void> {
  if (rest.length !== 2) throw new CliError('usage: move FROM TO (names with spaces go in quotes)');
  const s = (await c.call('playback:move', { receiver: rest[0]!, to: rest[1]! })) as SessionSnapshot;
  c.print(s, () => sessionLine(s, c.nameOf(s.receiverId)));
}
