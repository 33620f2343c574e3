// A film named "Title (2019).mkv" with no tags is listed as Title with its year (the year is
// searchable); a release-date tag wins over the name; and a library scanned before the year was
// known gets its titles right at the next start (the migration has its videos read again).
import Database from 'better-sqlite3';
import { migrations } from '../../../server/db/migrations.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, metadataArgs } from '../../fixtures/ffmpeg.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }
type Video = { id: number; title: string; year: number | null; path: string };

let lib: LibraryCopy;
const servers: RunningServer[] = [];

async function videos(s: RunningServer, query = ''): Promise<Video[]> {
  return (await s.get<List<Video>>(`/api/library/videos?limit=500${query}`)).body.items;
}

const byPath = (list: Video[]) => Object.fromEntries(list.map((v) => [v.path, { title: v.title, year: v.year }]));

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  const clip = lib.at('video/Clip.mp4');
  // Copies of the fixture clip: one with no tags at all, one whose tags give a title and a release date.
  await ffmpeg(['-i', clip, '-map', '0', '-c', 'copy', '-map_metadata', '-1', join(lib.video, 'Night Walk (2019).mp4')]);
  await ffmpeg(['-i', clip, '-map', '0', '-c', 'copy', '-map_metadata', '-1', ...metadataArgs({ title: 'Tagged Film', date: '2005' }), join(lib.video, 'Tagged Film (1999).mp4')]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('film years', () => {
  it('come from the file name when no tag gives one, and leave the title', async () => {
    const s = await startServer({ config: { libraries: [{ name: 'Video', path: lib.video, kind: 'video' }], scan: { watch: false } } });
    servers.push(s);
    await scanFinished(s, 'Video');
    // Every video of the fixture library is scanned; these are the ones this test is about.
    const all = (await videos(s)).length;
    expect(byPath(await videos(s))).toMatchObject({
      'Clip.mp4': { title: 'Test Clip', year: null },
      'Movie.mkv': { title: 'The Movie', year: null },
      'Night Walk (2019).mp4': { title: 'Night Walk', year: 2019 },
      'Tagged Film (1999).mp4': { title: 'Tagged Film', year: 2005 },
    });
    expect((await videos(s, '&q=2019')).map((v) => v.title)).toEqual(['Night Walk']);

    // The same library as a server before the year column left it: the title with "(2019)" in it
    // (and without anything later migrations added).
    await s.stop();
    const db = new Database(join(s.dataDir, 'library.db'));
    // Everything later migrations made goes (found by comparing with migrations 1–3 applied to an
    // empty database), so a new migration needs no line here.
    const v3 = new Database(':memory:');
    for (const m of migrations.slice(0, 3)) v3.exec(m);
    const kept = new Set(v3.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").pluck().all() as string[]);
    v3.close();
    const later = (type: string) => (db.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'`).pluck().all(type) as string[]).filter((n) => !kept.has(n));
    for (const t of later('trigger')) db.exec(`DROP TRIGGER IF EXISTS "${t}"`);
    for (const t of later('index')) db.exec(`DROP INDEX IF EXISTS "${t}"`);
    // Virtual tables first: dropping one drops its shadow tables.
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'").pluck().all() as string[]) if (!kept.has(t)) db.exec(`DROP TABLE IF EXISTS "${t}"`);
    for (const t of later('table')) db.exec(`DROP TABLE IF EXISTS "${t}"`);
    db.exec("ALTER TABLE videos DROP COLUMN year; UPDATE videos SET title = 'Night Walk (2019)' WHERE title = 'Night Walk'");
    db.pragma('user_version = 3');
    db.close();
    const again = await startServer({ config: { libraries: [{ name: 'Video', path: lib.video, kind: 'video' }], scan: { watch: false } }, dataDir: s.dataDir });
    servers.push(again);
    expect(await scanFinished(again, 'Video')).toMatch(new RegExp(` probed=${all} `));
    expect(byPath(await videos(again))['Night Walk (2019).mp4']).toEqual({ title: 'Night Walk', year: 2019 });
  });
});
