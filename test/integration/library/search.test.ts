// Search over HTTP, as the remote types it: every word a prefix ("beat" finds the Beatles), case
// and diacritics folded ("beyonce" finds Beyoncé), over titles, artists, albums and file names;
// the FTS5 index follows the library (a deleted file, its orphaned artist and album, leave it).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, sineInput } from '../../fixtures/ffmpeg.js';
import { id3v24Tag } from '../../fixtures/id3.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }

const songs = [
  { rel: 'The Beatles/Abbey Road/01 Come Together.mp3', title: 'Come Together', artist: 'The Beatles', album: 'Abbey Road' },
  { rel: 'Beyoncé/Lemonade/01 Formation.mp3', title: 'Formation', artist: 'Beyoncé', album: 'Lemonade' },
  { rel: 'Sigur Rós/Takk/02 Glósóli.mp3', title: 'Glósóli', artist: 'Sigur Rós', album: 'Takk' },
];

let root: string;
let server: RunningServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hc-search-'));
  const body = join(root, '.body.mp3');
  await ffmpeg([...sineInput(1, 44100), '-c:a', 'libmp3lame', '-b:a', '64k', '-id3v2_version', '0', body]);
  const audio = await readFile(body);
  for (const s of songs) {
    await mkdir(join(root, s.rel, '..'), { recursive: true });
    const tag = id3v24Tag([{ id: 'TIT2', text: s.title }, { id: 'TPE1', text: s.artist }, { id: 'TALB', text: s.album }]);
    await writeFile(join(root, s.rel), Buffer.concat([tag, audio]));
  }
  server = await startServer({ config: { libraries: [{ name: 'Music', path: root, kind: 'music' }], scan: { watch: false } } });
  await scanFinished(server, 'Music');
});

afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

async function find(kind: string, q: string): Promise<string[]> {
  const r = await server.get<List<{ title?: string; name?: string }>>(`/api/library/${kind}?q=${encodeURIComponent(q)}`);
  expect(r.status).toBe(200);
  return r.body.items.map((i) => i.title ?? i.name!).sort();
}

describe('search', () => {
  it('matches word prefixes as a person types, case and diacritics folded', async () => {
    expect(await find('tracks', 'b')).toEqual(['Come Together', 'Formation']);
    expect(await find('tracks', 'beat')).toEqual(['Come Together']);
    expect(await find('tracks', 'BEYONCE')).toEqual(['Formation']);
    expect(await find('tracks', 'glosoli')).toEqual(['Glósóli']);
    expect(await find('tracks', 'sigur ro')).toEqual(['Glósóli']);
    expect(await find('tracks', 'together come')).toEqual(['Come Together']); // any order
    expect(await find('tracks', 'abbey formation')).toEqual([]); // every word must match
    expect(await find('tracks', 'formation.mp3')).toEqual(['Formation']); // file names
    expect(await find('tracks', 'eatles')).toEqual([]); // word prefixes, not any substring
    expect(await find('albums', 'lemo')).toEqual(['Lemonade']);
    expect(await find('albums', 'beyonce')).toEqual(['Lemonade']); // an album by its artist
    expect(await find('artists', 'ros')).toEqual(['Sigur Rós']);
  });

  it('takes anything typed as words, never as FTS syntax', async () => {
    for (const q of ['"', 'NEAR(', 'come AND', 'beat*', "o'", '^', '-', 'title:come']) {
      const r = await server.get<List<unknown>>(`/api/library/tracks?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
    }
    expect(await find('tracks', 'title:come')).toEqual([]); // "title" is a word here, not a column
    expect(await find('tracks', '"come" tog*')).toEqual(['Come Together']);
  });

  it('follows the library: a deleted file and its orphaned artist and album leave the index', async () => {
    await rm(join(root, 'Beyoncé'), { recursive: true });
    const mark = server.lines.length;
    expect((await server.fetch('/api/library/rescan', { method: 'POST' })).status).toBe(202);
    await scanFinished(server, 'Music', mark);
    expect(await find('tracks', 'formation')).toEqual([]);
    expect(await find('albums', 'lemonade')).toEqual([]);
    expect(await find('artists', 'beyonce')).toEqual([]);
    expect(await find('tracks', 'b')).toEqual(['Come Together']);
  });

  it('a plain search is in the list\'s own order, and follows a file added since (the order kept in memory)', async () => {
    const ids = async (path: string) => (await server.get<List<{ id: number }>>(path)).body.items.map((i) => i.id);
    expect(await find('tracks', 'mp3')).toEqual(['Come Together', 'Glósóli']); // every file name
    const rel = 'ABBA/Arrival/01 Dancing Queen.mp3';
    await mkdir(join(root, rel, '..'), { recursive: true });
    const body = await readFile(join(root, '.body.mp3'));
    await writeFile(join(root, rel), Buffer.concat([id3v24Tag([{ id: 'TIT2', text: 'Dancing Queen' }, { id: 'TPE1', text: 'ABBA' }, { id: 'TALB', text: 'Arrival' }]), body]));
    const mark = server.lines.length;
    expect((await server.fetch('/api/library/rescan', { method: 'POST' })).status).toBe(202);
    await scanFinished(server, 'Music', mark);
    expect(await find('tracks', 'queen')).toEqual(['Dancing Queen']);
    // The same order as the whole list (ABBA first by its sort name), with the same total.
    const all = await ids('/api/library/tracks');
    const found = await server.get<List<{ id: number }>>('/api/library/tracks?q=mp3');
    expect(found.body.items.map((i) => i.id)).toEqual(all.filter((id) => found.body.items.some((i) => i.id === id)));
    expect(found.body.items.map((i) => i.id)[0]).toBe(all[0]);
    expect(found.body.total).toBe(3);
    expect(await ids('/api/library/tracks?q=mp3&limit=1&offset=1')).toEqual([found.body.items[1]!.id]);
  });
});
