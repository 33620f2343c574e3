// `favourite list | add KIND ID | remove KIND ID`: the heart on tracks, albums and videos, from the command line.
import type { CommandArgs, CommandName } from '../api/messages.js';
import { CliError } from './errors.js';

export const favouriteUsage = 'favourite list | favourite add|remove track|album|video ID';

interface Item { kind: string; id: number; title: string; subtitle: string | null }

export async function favouriteCommand(rest: string[], o: { call: <C extends CommandName>(c: C, a: CommandArgs<C>) => Promise<unknown>; print: (data: unknown, human: () => string) => void }): Promise<void> {
  const [verb, kind, id] = rest;
  if (verb === 'list' || verb === undefined) {
    const { items } = (await o.call('favourite:list', {})) as { items: Item[] };
    return o.print(items, () => (items.length ? items.map((i) => `${i.kind === 'audio' ? 'track' : i.kind} ${i.id}  ${i.title}${i.subtitle ? ` — ${i.subtitle}` : ''}`).join('\n') : 'no favourites'));
  }
  if (verb !== 'add' && verb !== 'remove') throw new CliError(`unknown favourite command "${verb}" (${favouriteUsage})`);
  if (kind !== 'track' && kind !== 'album' && kind !== 'video') throw new CliError(`favourite ${verb} needs what: track, album or video, then its id (${favouriteUsage})`);
  const n = Number(id);
  if (!id || !Number.isInteger(n) || n < 1) throw new CliError(`favourite ${verb} ${kind} needs an id (a whole number from the library)`);
  const r = await o.call('favourite:set', { kind, id: n, on: verb === 'add' });
  o.print(r, () => `${verb === 'add' ? 'added' : 'removed'} ${kind} ${n} ${verb === 'add' ? 'to' : 'from'} the favourites`);
}
