// The library's pages from the command line (main.ts): tracks with genre/year filters, the genres
// and years, an album, an artist, TV shows and one show — read over the same REST routes as the
// remote's pages, as the signed-in user sees them; `--play --to RECEIVER` sends what a page lists.
// An album, artist or show is named by its id (albums) or its name: an exact name (case does not
// matter) wins, else a single match; several give their ids to choose from.
import type { CommandArgs, CommandName } from '../api/messages.js';
import type { SessionSnapshot } from '../playback/session.js';
import type { AlbumRow, ArtistRow, TrackRow } from '../library/queries.js';
import type { ShowRow } from '../library/show-queries.js';
import { CliError } from './errors.js';
import { clock, sessionLine } from './format.js';

export const libraryUsage = `library:
  tracks [TEXT] [--genre GENRE] [--year YEAR] [--sort name|added|year]
  genres | years                         (what tracks can be filtered by)
  album NAME|ID [--play --to RECEIVER]   (its tracks by disc and number, the total time)
  artist NAME [--play --to RECEIVER]     (albums, then every track)
  shows [TEXT]                           (TV shows: seasons and episode counts)
  show NAME [--play --to RECEIVER]       (seasons and episodes; --play queues the seasons in order)`;

export const libraryCommands = ['tracks', 'genres', 'years', 'album', 'artist', 'shows', 'show'] as const;
export type LibraryCommand = (typeof libraryCommands)[number];
export const isLibraryCommand = (c: string): c is LibraryCommand => (libraryCommands as readonly string[]).includes(c);

export interface LibraryCliContext {
  /** GET a REST route of the server (path with its query), signed in as the CLI is. */
  get: <T>(path: string) => Promise<T>;
  call: <C extends CommandName>(c: C, a: CommandArgs<C>) => Promise<unknown>;
  print: (data: unknown, human: () => string) => void;
  to: () => string;
  nameOf: (id: string) => string;
  options: { genre?: string | undefined; year?: string | undefined; sort?: string | undefined; play: boolean };
}

type Episode = ShowRow['seasons'][number]['episodes'][number];
type Track = Pick<TrackRow, 'id' | 'title' | 'artist' | 'album' | 'discNo' | 'trackNo' | 'duration' | 'year' | 'genre'>;

const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.size ? `?${q}` : '';
};

/** `onAlbum`: on its album's page (no album name; the disc number when it has several). */
const trackLine = (t: Track, onAlbum?: { discs: number }) =>
  `${String(t.id).padStart(5)}  ${onAlbum && onAlbum.discs > 1 && t.discNo ? `${t.discNo}-` : ''}${t.trackNo ? `${String(t.trackNo).padStart(2, '0')}. ` : ''}${t.title}  —  ${t.artist}${t.album && !onAlbum ? ` · ${t.album}` : ''}  ${clock(t.duration)}`;
const albumLine = (a: AlbumRow) => `${String(a.id).padStart(5)}  ${a.title}  —  ${a.artist}${a.year ? ` (${a.year})` : ''}  ${a.tracks} tracks, ${clock(a.duration)}`;
const episodeLine = (e: Episode) => `${String(e.id).padStart(5)}  ${e.season ? `S${String(e.season).padStart(2, '0')}` : 'SP'}${e.episode !== null ? `E${String(e.episode).padStart(2, '0')}` : '   '}  ${e.title}  ${clock(e.duration)}`;

/** One of the candidates a name stands for: the exact name (case folded), else the only one. */
function pick<T>(what: string, name: string, found: T[], nameOf: (x: T) => string, label: (x: T) => string): T {
  const exact = found.filter((x) => nameOf(x).toLowerCase() === name.toLowerCase());
  const one = exact.length === 1 ? exact[0] : exact.length === 0 && found.length === 1 ? found[0] : undefined;
  if (one) return one;
  if (found.length === 0) throw new CliError(`no ${what} matching "${name}"`);
  const list = (exact.length ? exact : found).slice(0, 10).map(label).join('\n');
  throw new CliError(`${exact.length || found.length} ${what}s match "${name}": say which\n${list}`);
}

export async function libraryCommand(command: LibraryCommand, rest: string[], c: LibraryCliContext): Promise<void> {
  const text = rest.join(' ').trim();
  const needName = (what: string) => {
    if (!text) throw new CliError(`${command} needs ${what}`);
    return text;
  };
  // --play: the listed items go to the receiver, replacing its queue (a video resumes where it was left).
  const play = async (ids: number[], label: string) => {
    if (!c.options.play) return false;
    if (!ids.length) throw new CliError(`${label} has nothing to play`);
    const s = (await c.call('playback:play', { receiver: c.to(), what: ids, from: 'resume' })) as SessionSnapshot;
    c.print(s, () => sessionLine(s, c.nameOf(s.receiverId)));
    return true;
  };
  if (c.options.play && !['album', 'artist', 'show'].includes(command)) throw new CliError(`--play goes with album, artist or show, not ${command}`);

  switch (command) {
    case 'tracks': {
      const { genre, year, sort } = c.options;
      if (year !== undefined && !/^\d{1,4}$/.test(year)) throw new CliError(`--year ${year}: a year is a number such as 1999`);
      if (sort !== undefined && !['name', 'added', 'year'].includes(sort)) throw new CliError(`--sort ${sort}: sort by name, added or year`);
      const page = await c.get<{ items: Track[]; total: number }>(`/api/library/tracks${query({ q: text, genre, year, sort, limit: 500 })}`);
      return c.print(page, () => (page.items.length ? [...page.items.map((t) => trackLine(t)), `${page.total} track${page.total === 1 ? '' : 's'}`].join('\n') : 'no tracks'));
    }
    case 'genres': {
      const { items } = await c.get<{ items: { name: string; tracks: number; albums: number }[] }>('/api/library/genres');
      return c.print(items, () => items.map((g) => `${g.name}  (${g.tracks} tracks, ${g.albums} albums)`).join('\n') || 'no genres');
    }
    case 'years': {
      const { items } = await c.get<{ items: { year: number; tracks: number; albums: number }[] }>('/api/library/years');
      return c.print(items, () => items.map((y) => `${y.year}  (${y.tracks} tracks, ${y.albums} albums)`).join('\n') || 'no years');
    }
    case 'album': {
      const name = needName('an album: its name or its id');
      let id = /^\d+$/.test(name) ? Number(name) : undefined;
      if (id === undefined) {
        const { items } = await c.get<{ items: AlbumRow[] }>(`/api/library/albums${query({ q: name, limit: 50 })}`);
        id = pick('album', name, items, (a) => a.title, albumLine).id;
      }
      const page = await c.get<AlbumRow & { discs: number; genres: string[]; tracks: Track[] }>(`/api/library/albums/${id}`);
      if (await play(page.tracks.map((t) => t.id), `album "${page.title}"`)) return;
      const total = page.tracks.reduce((s, t) => s + (t.duration ?? 0), 0);
      return c.print(page, () =>
        [`${page.title}  —  ${page.artist}${page.year ? ` (${page.year})` : ''}${page.genres.length ? `  [${page.genres.join(', ')}]` : ''}`,
          ...page.tracks.map((t) => trackLine(t, page)),
          `${page.tracks.length} tracks, ${clock(total)}`].join('\n'));
    }
    case 'artist': {
      const name = needName('an artist\'s name');
      const { items } = await c.get<{ items: ArtistRow[] }>(`/api/library/artists${query({ q: name, limit: 50 })}`);
      const artist = pick('artist', name, items, (a) => a.name, (a) => `${String(a.id).padStart(5)}  ${a.name}`);
      const [albums, tracks] = await Promise.all([
        c.get<{ items: AlbumRow[] }>(`/api/library/albums${query({ artistId: artist.id, sort: 'year', limit: 500 })}`),
        c.get<{ items: Track[]; total: number }>(`/api/library/tracks${query({ artistId: artist.id, sort: 'year', limit: 500 })}`),
      ]);
      if (await play(tracks.items.map((t) => t.id), `artist "${artist.name}"`)) return;
      return c.print({ artist, albums: albums.items, tracks: tracks.items }, () =>
        [artist.name, 'albums:', ...albums.items.map(albumLine), 'tracks:', ...tracks.items.map((t) => trackLine(t))].join('\n'));
    }
    case 'shows': {
      const { items } = await c.get<{ items: ShowRow[] }>(`/api/library/shows${query({ q: text, limit: 500 })}`);
      return c.print(items, () => items.map((s) => `${s.name}  (${s.seasons.map((x) => x.name).join(', ')}; ${s.episodes} episodes)`).join('\n') || 'no TV shows');
    }
    case 'show': {
      const name = needName('a show\'s name');
      const { items } = await c.get<{ items: ShowRow[] }>(`/api/library/shows${query({ q: name, limit: 500 })}`);
      const show = pick('show', name, items, (s) => s.name, (s) => s.name);
      // As Plex plays a show: the seasons in order, specials only when asked for by themselves.
      const regular = show.seasons.filter((s) => s.season !== 0);
      const episodes = (regular.length ? regular : show.seasons).flatMap((s) => s.episodes);
      if (await play(episodes.map((e) => e.id), `show "${show.name}"`)) return;
      return c.print(show, () => [show.name, ...show.seasons.flatMap((s) => [`${s.name}:`, ...s.episodes.map(episodeLine)])].join('\n'));
    }
  }
}
