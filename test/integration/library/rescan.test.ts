// The library follows the folders: a rescan touches only changed files, the watcher picks up
// new, changed and deleted files while the server runs, and a kill -9 mid-scan loses nothing.
import Database from 'better-sqlite3';
import { copyFile, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateBigLibrary } from '../../fixtures/big-library.js';
import { ageFolders, copyFixtureLibrary } from '../../helpers/library-copy.js';
import { fixturesDir } from '../../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }
type Track = { id: number; title: string; path: string; album: string | null };

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(config: Record<string, unknown>, dataDir?: string): Promise<RunningServer> {
  const s = await startServer({ config, ...(dataDir ? { dataDir } : {}) });
  servers.push(s);
  return s;
}

async function tracks(s: RunningServer, q = ''): Promise<Track[]> {
  return (await s.get<List<Track>>(`/api/library/tracks?limit=500${q}`)).body.items;
}

function fields(line: string): Record<string, number> {
  return Object.fromEntries([...line.matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe('incremental rescan', () => {
  it('reopens only what changed while the server was down', async () => {
    const lib = await copyFixtureLibrary();
    await ageFolders(lib.music); // trusted by the quick pass at start (quick-rescan.test.ts)
    const config = { libraries: [{ name: 'Music', path: lib.music, kind: 'music' }], scan: { watch: false } };
    const first = await start(config);
    const firstScan = fields(await scanFinished(first, 'Music'));
    expect(firstScan).toMatchObject({ files: lib.fx.audio.length + 2, probed: lib.fx.audio.length + 2, removed: 0 });
    await first.stop();

    const again = await start(config, first.dataDir);
    expect(fields(await scanFinished(again, 'Music'))).toMatchObject({ files: firstScan.files, probed: 0, removed: 0 });
    await again.stop();

    // Change one file's content, touch another's mtime only, add one, delete one.
    await copyFile(lib.at('music/Various/Hits/01 One.mp3'), lib.at('music/Alpha Artist/First Album/02 Second.mp3'));
    await utimes(lib.at('music/Beta Band/Covered/01 Cover.flac'), new Date(), new Date(Date.now() - 3600_000));
    await copyFile(lib.at('music/Alpha Artist/First Album/01 Tagged.mp3'), lib.at('music/Alpha Artist/First Album/03 Copy.mp3'));
    await rm(lib.at('music/Gamma/Opus/01 Opus.opus'));
    const third = await start(config, first.dataDir);
    // The quick pass at start reads the two folders whose entries changed; Cover.flac's folder did not move.
    expect(fields(await scanFinished(third, 'Music'))).toMatchObject({ files: firstScan.files, probed: 2, removed: 1 });
    const mark = third.lines.length;
    expect((await third.fetch('/api/library/rescan', { method: 'POST' })).status).toBe(202);
    expect(fields(await scanFinished(third, 'Music', mark))).toMatchObject({ files: firstScan.files, probed: 1, removed: 0 });
    const list = await tracks(third);
    expect(list.find((t) => t.path === 'Alpha Artist/First Album/02 Second.mp3')).toMatchObject({ title: 'One', album: 'Hits' });
    expect(list.filter((t) => t.title === 'Tagged')).toHaveLength(2);
    expect(list.find((t) => t.title === 'Opus')).toBeUndefined();
  });
});

describe('watching', () => {
  it('adds, updates and removes items while the server runs', async () => {
    const lib = await copyFixtureLibrary();
    const s = await start({ libraries: [{ name: 'Music', path: lib.music, kind: 'music' }], scan: { watch: true } });
    await scanFinished(s, 'Music');
    await s.waitForLine(/ watching /);
    const before = await tracks(s);

    let mark = s.lines.length;
    await copyFile(lib.at('music/Alpha Artist/First Album/01 Tagged.mp3'), lib.at('music/Alpha Artist/First Album/09 New.mp3'));
    await s.waitForLine(/ library updated library=Music .*probed=1 /, 20_000, mark);
    const added = await tracks(s);
    expect(added).toHaveLength(before.length + 1);
    expect(added.find((t) => t.path === 'Alpha Artist/First Album/09 New.mp3')).toMatchObject({ title: 'Tagged' });

    mark = s.lines.length;
    await copyFile(lib.at('music/Various/Hits/02 Two.mp3'), lib.at('music/Alpha Artist/First Album/09 New.mp3'));
    await s.waitForLine(/ library updated library=Music .*probed=1 /, 20_000, mark);
    expect((await tracks(s)).find((t) => t.path === 'Alpha Artist/First Album/09 New.mp3')).toMatchObject({ title: 'Two' });

    mark = s.lines.length;
    await rm(lib.at('music/Various'), { recursive: true });
    await s.waitForLine(/ library updated library=Music .*removed=2 /, 20_000, mark);
    const after = await tracks(s);
    expect(after.filter((t) => t.album === 'Hits').map((t) => t.title)).toEqual(['Two']); // only the copy in First Album's folder remains
    expect((await s.get<List<{ title: string }>>('/api/library/albums?q=hits')).body.total).toBe(1);

    // A broken file dropped in is recorded as an error; the library goes on.
    mark = s.lines.length;
    await writeFile(lib.at('music/Alpha Artist/garbage.flac'), Buffer.alloc(4096, 7));
    await s.waitForLine(/ library updated library=Music .*errors=1 /, 20_000, mark);
    const errors = (await s.get<List<{ path: string; error: string }>>('/api/library/errors')).body.items;
    expect(errors.map((e) => e.path)).toContain('Alpha Artist/garbage.flac');
  });
});

describe('crash safety', () => {
  it('a kill -9 mid-scan leaves a database that opens and finishes on the next start', async () => {
    const files = 3000;
    const tree = join(fixturesDir, 'big-3000');
    await generateBigLibrary(tree, { files, artists: 30 });
    const dataDir = await mkdtemp(join(tmpdir(), 'hc-crash-'));
    const config = { libraries: [{ name: 'Big', path: tree, kind: 'music' }], scan: { watch: false }, logLevel: 'debug' };
    const s = await start(config, dataDir);
    await s.waitForLine(/ scan progress library=Big done=\d+ total=3000/);
    await s.kill9();

    const db = new Database(join(dataDir, 'library.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const written = db.prepare('SELECT count(*) FROM files').pluck().get() as number;
    const linked = db.prepare('SELECT count(*) FROM tracks').pluck().get() as number;
    db.close();
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(files);
    expect(linked).toBe(written); // each file and its track row are written in one transaction

    const again = await start(config, dataDir);
    expect(fields(await scanFinished(again, 'Big'))).toMatchObject({ files, probed: files - written, errors: 0 });
    const stats = (await again.get<{ tracks: number; albums: number; artists: number }>('/api/library/stats')).body;
    expect(stats).toMatchObject({ tracks: files, artists: 30, albums: 300 });
  });
});
