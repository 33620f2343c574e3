// The data behind the browse pages, from a real scan: TV shows grouped from the usual file names
// (season folders, "Show.S01E02", a Specials folder) with their seasons and episode numbers; an
// album's page with its discs in order; genre and year filters and the name / date added / year
// sorts; the photo timeline by date taken and photo folders.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, metadataArgs, sineInput } from '../../fixtures/ffmpeg.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }
type Episode = { id: number; season: number; episode: number | null; title: string; path: string; streamUrl: string };
type Show = { name: string; episodes: number; seasons: { season: number; name: string; episodes: Episode[] }[] };
type Track = { id: number; title: string; discNo: number | null; trackNo: number | null; streamUrl: string };
type Album = { id: number; title: string; year: number | null; artist: string };

/** Episodes as people name them, beside a film and the fixture clips (which are no show). */
const EPISODES = [
  'Shows/Night Shift/Season 01/Night Shift - S01E02 - The Call.mp4',
  'Shows/Night Shift/Season 01/Night Shift - S01E01 - Pilot.mp4',
  'Shows/Night Shift/Season 02/Night.Shift.S02E01.mp4',
  'Shows/Night Shift/Specials/Night Shift - S00E01 - Behind the Scenes.mp4',
  'Shows/Harbor.Lights.S01E03.720p.mp4',
  'Shows/Harbor.Lights.S01E01.mp4',
];
const TWO_DISCS = { artist: 'Echo Band', album: 'Two Sides', year: 2011, genre: 'Blues' };

let lib: LibraryCopy;
let s: RunningServer;

const get = async <T>(path: string, status = 200): Promise<T> => {
  const r = await s.get<T>(path);
  expect(r.status, path).toBe(status);
  return r.body;
};
const titles = (l: List<{ title: string }>) => l.items.map((i) => i.title);

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  for (const rel of EPISODES) {
    await mkdir(dirname(join(lib.video, rel)), { recursive: true });
    await copyFile(lib.at('video/Clip.mp4'), join(lib.video, rel));
  }
  // A film with no title tag: its title and year come from its name.
  await mkdir(join(lib.video, 'Films'), { recursive: true });
  await ffmpeg(['-i', lib.at('video/Clip.mp4'), '-map', '0', '-c', 'copy', '-map_metadata', '-1', join(lib.video, 'Films/Night Walk (2019).mp4')]);
  // An album on two discs, its tracks named so that file order is not disc order.
  const dir = join(lib.music, TWO_DISCS.artist, TWO_DISCS.album);
  await mkdir(dir, { recursive: true });
  const tracks = [{ file: 'a.mp3', title: 'Side B One', disc: '2/2', track: '1/2' }, { file: 'b.mp3', title: 'Side A Two', disc: '1/2', track: '2/2' }, { file: 'c.mp3', title: 'Side A One', disc: '1/2', track: '1/2' }];
  await Promise.all(tracks.map((t) => ffmpeg([...sineInput(1, 44100), '-c:a', 'libmp3lame', '-b:a', '48k',
    ...metadataArgs({ title: t.title, artist: TWO_DISCS.artist, album_artist: TWO_DISCS.artist, album: TWO_DISCS.album, disc: t.disc, track: t.track, date: TWO_DISCS.year, genre: TWO_DISCS.genre }), join(dir, t.file)])));
  await mkdir(join(lib.photos, 'Trip'), { recursive: true });
  await copyFile(lib.at('photos/Camera.jpg'), join(lib.photos, 'Trip', 'Beach.jpg'));
  s = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }, { name: 'Photos', path: lib.photos, kind: 'photo' }],
      discovery: { mdns: false }, scan: { watch: false },
    },
    // EXIF times carry no zone: the timeline reads them in the server's.
    env: { TZ: 'UTC' },
  });
  await Promise.all(['Music', 'Video', 'Photos'].map((l) => scanFinished(s, l)));
});

afterAll(async () => {
  await s?.stop();
  if (lib) await rm(lib.root, { recursive: true, force: true });
});

describe('TV shows', () => {
  it('groups episodes under their show and season, numbered, specials last, films left out', async () => {
    const shows = await get<List<Show>>('/api/library/shows');
    expect(shows.total).toBe(2);
    const outline = shows.items.map((sh) => ({
      name: sh.name, episodes: sh.episodes,
      seasons: sh.seasons.map((se) => ({ name: se.name, season: se.season, episodes: se.episodes.map((e) => [e.episode, e.title]) })),
    }));
    expect(outline).toEqual([
      { name: 'Harbor Lights', episodes: 2, seasons: [{ name: 'Season 1', season: 1, episodes: [[1, 'Episode 1'], [3, 'Episode 3']] }] },
      {
        name: 'Night Shift', episodes: 4,
        seasons: [
          { name: 'Season 1', season: 1, episodes: [[1, 'Pilot'], [2, 'The Call']] },
          { name: 'Season 2', season: 2, episodes: [[1, 'Episode 1']] },
          { name: 'Specials', season: 0, episodes: [[1, 'Behind the Scenes']] },
        ],
      },
    ]);
    // Each episode plays: a signed stream of its own file.
    const pilot = shows.items[1]!.seasons[0]!.episodes[0]!;
    expect(pilot.path).toBe(EPISODES[1]);
    const stream = await fetch(new URL(pilot.streamUrl, s.url), { headers: { Range: 'bytes=0-3' } });
    expect(stream.status).toBe(206);
    await stream.arrayBuffer();
    // The search narrows to shows by name or episode title; bad paging is refused.
    expect((await get<List<Show>>('/api/library/shows?q=call')).items.map((x) => x.name)).toEqual(['Night Shift']);
    expect((await get<List<Show>>('/api/library/shows?limit=1&offset=1')).items.map((x) => x.name)).toEqual(['Night Shift']);
    expect((await get<{ error: string }>('/api/library/shows?limit=0', 400)).error).toMatch(/limit/);
    // The film is a film: listed with its year from the name, in no show.
    const films = await get<List<{ title: string; year: number | null }>>('/api/library/videos?q=night%20walk');
    expect(films.items).toMatchObject([{ title: 'Night Walk', year: 2019 }]);
  });
});

describe('album page', () => {
  it('lists the tracks disc by disc, with the genres, the disc count and the cover', async () => {
    const albums = await get<List<Album>>(`/api/library/albums?q=${encodeURIComponent(TWO_DISCS.album)}`);
    const id = albums.items[0]!.id;
    const page = await get<Album & { genres: string[]; discs: number; tracks: Track[]; duration: number; tracks_?: never; artUrl: string | null }>(`/api/library/albums/${id}`);
    expect(page).toMatchObject({ title: TWO_DISCS.album, artist: TWO_DISCS.artist, year: TWO_DISCS.year, genres: [TWO_DISCS.genre], discs: 2 });
    expect(page.tracks.map((t) => [t.discNo, t.trackNo, t.title])).toEqual([[1, 1, 'Side A One'], [1, 2, 'Side A Two'], [2, 1, 'Side B One']]);
    expect(page.duration).toBeGreaterThan(2.5);
    expect(page.tracks.every((t) => t.streamUrl.startsWith('/media/') || t.streamUrl.includes('/media/'))).toBe(true);
    expect((await get<{ error: string }>('/api/library/albums/999999', 404)).error).toBe('no such album');
    expect((await get<{ error: string }>('/api/library/albums/abc', 400)).error).toBe('bad album id');
  });
});

describe('filters and sorts', () => {
  it('genre and year narrow albums and tracks; name, year and date added order them', async () => {
    expect((await get<{ items: { name: string }[] }>('/api/library/genres')).items.map((g) => g.name)).toEqual(['Blues', 'Electronic', 'Jazz', 'Pop', 'Rock']);
    expect((await get<{ items: { year: number }[] }>('/api/library/years')).items.map((y) => y.year)).toEqual([2020, 2011, 2010, 2001, 1999]);
    expect(titles(await get<List<Album>>('/api/library/albums?genre=jazz'))).toEqual(['Covered']);
    expect(titles(await get<List<Album>>('/api/library/albums?year=2001'))).toEqual(['First Album']);
    expect(titles(await get<List<Track>>('/api/library/tracks?genre=Rock&sort=name'))).toEqual(['Second', 'Tagged']);
    expect(titles(await get<List<Album>>('/api/library/albums?sort=name'))).toEqual(['Broken', 'Covered', 'First Album', 'Hits', 'Opus', 'Two Sides']);
    expect(titles(await get<List<Album>>('/api/library/albums?sort=year'))).toEqual(['Hits', 'First Album', 'Covered', 'Two Sides', 'Opus', 'Broken']);
    expect((await get<{ error: string }>('/api/library/albums?sort=size', 400)).error).toMatch(/sort/);

    // Date added: a file found by a later scan comes first; one changed in place keeps its place.
    const newest = join(lib.music, 'Gamma', 'Late', 'Late.mp3');
    await mkdir(dirname(newest), { recursive: true });
    await ffmpeg([...sineInput(1, 44100), '-c:a', 'libmp3lame', ...metadataArgs({ title: 'Late Arrival', artist: 'Gamma', album: 'Late', genre: 'Rock', date: 2024 }), newest]);
    const after = s.lines.length;
    expect((await s.fetch('/api/library/rescan', { method: 'POST' })).status).toBe(202);
    await scanFinished(s, 'Music', after);
    expect(titles(await get<List<Track>>('/api/library/tracks?sort=added&limit=1'))).toEqual(['Late Arrival']);
    expect(titles(await get<List<Album>>('/api/library/albums?sort=added&limit=1'))).toEqual(['Late']);
    expect(titles(await get<List<Track>>('/api/library/tracks?genre=Rock&sort=year'))).toEqual(['Tagged', 'Second', 'Late Arrival']);
  });
});

describe('photos', () => {
  it('a month timeline by date taken, and the folders, each narrowing the photo list', async () => {
    const timeline = await get<{ months: { month: string; year: number; photos: number }[]; undated: number }>('/api/library/photos/timeline');
    // The fixture camera photo (taken 2024-07-14 18:30) and its copy in Trip/; the PNG has no date.
    expect(timeline).toEqual({ months: [{ month: '2024-07', year: 2024, photos: 2 }], undated: 1 });
    expect((await get<List<{ path: string }>>('/api/library/photos?month=2024-07')).items.map((p) => p.path).sort()).toEqual(['Camera.jpg', 'Trip/Beach.jpg']);
    expect((await get<List<unknown>>('/api/library/photos?month=2024-06')).total).toBe(0);
    expect((await get<{ error: string }>('/api/library/photos?month=2024-13', 400)).error).toMatch(/month/);
    const folders = await get<{ items: { library: string; folder: string; photos: number; artUrl: string | null }[] }>('/api/library/photos/folders');
    expect(folders.items.map((f) => [f.library, f.folder, f.photos])).toEqual([['Photos', '', 2], ['Photos', 'Trip', 1]]);
    expect((await get<List<{ path: string }>>('/api/library/photos?folder=Trip')).items.map((p) => p.path)).toEqual(['Trip/Beach.jpg']);
    expect((await get<List<{ path: string }>>('/api/library/photos?folder=&library=Photos')).items.map((p) => p.path).sort()).toEqual(['Camera.jpg', 'Plain.png']);
  });
});
