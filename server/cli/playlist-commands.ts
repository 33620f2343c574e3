// `playlist …` for the command-line remote (main.ts), over the same socket commands as the web
// remote's. Entries are numbered from 1 as `playlist show` lists them.
import { writeFileSync } from 'node:fs';
import type { CommandArgs } from '../api/messages.js';
import type { SessionSnapshot } from '../playback/session.js';
import type { PlaylistEntryRow, PlaylistProblem, PlaylistRow } from '../playlists/store.js';
import { CliError } from './errors.js';
import { clock, sessionLine } from './format.js';
import type { CliContext } from './group-commands.js';

export const playlistUsage = `playlists:
  playlist list                          (every playlist: made here, or imported from .m3u/.m3u8/.pls files in the libraries)
  playlist show PLAYLIST                 (its entries, numbered; problems of an imported one)
  playlist create NAME [WHAT]
  playlist add PLAYLIST WHAT             (WHAT: a library id, a path, search text, album:ID, queue:RECEIVER or playlist:NAME)
  playlist remove PLAYLIST N
  playlist move PLAYLIST N TO            (entry N goes to place TO)
  playlist rename PLAYLIST NEW_NAME
  playlist delete PLAYLIST
  playlist play|shuffle PLAYLIST --to RECEIVER
  playlist export PLAYLIST [FILE.m3u8]   (to stdout without FILE)
PLAYLIST is its name or its id (from playlist list).`;

type Source = NonNullable<CommandArgs<'playlist:create'>['from']>;

function source(what: string): Source {
  const m = /^(album|queue|playlist):(.+)$/.exec(what);
  if (!m) return { what };
  if (m[1] === 'album') {
    if (!/^\d+$/.test(m[2]!)) throw new CliError(`album:${m[2]}: an album is named by its id`);
    return { album: Number(m[2]) };
  }
  return m[1] === 'queue' ? { queue: m[2]! } : { playlist: m[2]! };
}

function args(rest: string[], names: string[], sub: string, optional = 0): string[] {
  if (rest.length < names.length - optional || rest.length > names.length) {
    throw new CliError(`usage: playlist ${sub} ${names.join(' ')}${rest.length > names.length ? ' (names with spaces go in quotes)' : ''}`);
  }
  return rest;
}

function place(given: string | undefined, count: number, label: string): number {
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > Math.max(count, 1)) throw new CliError(`${label} ${given}: say a number from 1 to ${count}`);
  return n;
}

const playlistLine = (p: PlaylistRow) =>
  `${String(p.id).padStart(4)}  ${p.name}  (${p.trackCount} ${p.trackCount === 1 ? 'entry' : 'entries'}, ${clock(p.duration)}${p.imported ? `, imported from ${p.source?.library}/${p.source?.path}` : ''})`;

export async function playlistCommand(rest: string[], c: CliContext & { to(): string }): Promise<void> {
  const [sub, ...more] = rest;
  const show = (p: unknown) => c.print(p, () => playlistLine(p as PlaylistRow));
  type Items = { playlist: PlaylistRow; items: PlaylistEntryRow[]; total: number; problems: PlaylistProblem[] };
  const items = (playlist: string) => c.call('playlist:items', { playlist, limit: 10_000 }) as Promise<Items>;
  switch (sub) {
    case undefined:
    case 'list': {
      const list = (await c.call('playlist:list', { limit: 10_000 })) as { items: PlaylistRow[]; total: number };
      return c.print(list, () => (list.items.length ? list.items.map(playlistLine).join('\n') : 'no playlists yet: playlist create NAME'));
    }
    case 'show': {
      const [playlist] = args(more, ['PLAYLIST'], sub);
      const p = await items(playlist!);
      return c.print(p, () => [
        playlistLine(p.playlist),
        ...p.items.map((e, i) => `${String(i + 1).padStart(4)}. ${e.artist ? `${e.artist} – ` : ''}${e.title}  ${clock(e.duration)}  (id ${e.id})`),
        ...p.problems.map((x) => `  line ${x.line}: ${x.entry}: ${x.reason}`),
      ].join('\n'));
    }
    case 'create': {
      const [name, what] = args(more, ['NAME', '[WHAT]'], sub, 1);
      return show(await c.call('playlist:create', { name: name!, ...(what ? { from: source(what) } : {}) }));
    }
    case 'add': {
      const [playlist, what] = args(more, ['PLAYLIST', 'WHAT'], sub);
      return show(await c.call('playlist:add', { playlist: playlist!, from: source(what!) }));
    }
    case 'remove': {
      const [playlist, n] = args(more, ['PLAYLIST', 'N'], sub);
      const p = await items(playlist!);
      const entry = p.items[place(n, p.items.length, 'playlist remove') - 1]!;
      return show(await c.call('playlist:remove', { playlist: p.playlist.id, entryId: entry.entryId }));
    }
    case 'move': {
      const [playlist, n, to] = args(more, ['PLAYLIST', 'N', 'TO'], sub);
      const p = await items(playlist!);
      const entry = p.items[place(n, p.items.length, 'playlist move') - 1]!;
      return show(await c.call('playlist:move', { playlist: p.playlist.id, entryId: entry.entryId, to: place(to, p.items.length, 'playlist move to') - 1 }));
    }
    case 'rename': {
      const [playlist, name] = args(more, ['PLAYLIST', 'NEW_NAME'], sub);
      return show(await c.call('playlist:rename', { playlist: playlist!, name: name! }));
    }
    case 'delete': {
      const [playlist] = args(more, ['PLAYLIST'], sub);
      const gone = (await c.call('playlist:delete', { playlist: playlist! })) as { id: number };
      return c.print(gone, () => `deleted playlist ${gone.id}`);
    }
    case 'play':
    case 'shuffle': {
      const [playlist] = args(more, ['PLAYLIST'], sub);
      const s = (await c.call('playlist:play', { playlist: playlist!, receiver: c.to(), shuffle: sub === 'shuffle' })) as SessionSnapshot;
      return c.print(s, () => sessionLine(s, c.nameOf(s.receiverId)));
    }
    case 'export': {
      const [playlist, file] = args(more, ['PLAYLIST', '[FILE]'], sub, 1);
      const out = (await c.call('playlist:export', { playlist: playlist! })) as { name: string; text: string };
      if (!file) return void process.stdout.write(out.text);
      writeFileSync(file, out.text);
      return c.print({ file, name: out.name }, () => `wrote "${out.name}" to ${file}`);
    }
    default:
      throw new CliError(`unknown playlist command "${sub}"\n${playlistUsage}`);
  }
}
