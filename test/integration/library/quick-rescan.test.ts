// The rescan at start skips folders whose mtime has not changed (as minidlna -r does), and what
// it promises (README, "Rescans"): a file added or removed anywhere, however deep, is found, since
// its folder's mtime moves. A file rewritten in place does not move its folder's mtime: the
// quick pass keeps the old read, the watcher finds it while the server runs, and a deep pass
// (Rescan in the remote, POST /api/library/rescan, or the daily one) finds it after a restart.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ageFolders, copyFixtureLibrary } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface List<T> { items: T[]; total: number }
type Track = { id: number; title: string; path: string };

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function fields(line: string): Record<string, number> {
  return Object.fromEntries([...line.matchAll(/(\w+)=([\d.]+)(?= |$)/g)].map((m) => [m[1]!, Number(m[2])]));
}

async function byPath(s: RunningServer): Promise<Map<string, Track>> {
  const list = (await s.get<List<Track>>('/api/library/tracks?limit=500')).body.items;
  return new Map(list.map((t) => [t.path, t]));
}

describe('quick rescan', () => {
  it('rescan skipping unchanged folders still finds a file changed in place and a file added deep in a tree', async () => {
    const lib = await copyFixtureLibrary();
    const deep = 'music/Deep/L1/L2/L3/L4';
    await mkdir(lib.at(deep), { recursive: true });
    await copyFile(lib.at('music/Various/Hits/01 One.mp3'), lib.at(`${deep}/01 Deep.mp3`));
    const folders = await ageFolders(lib.music);
    const libraries = [{ name: 'Music', path: lib.music, kind: 'music' }];

    const first = await start({ libraries, scan: { watch: false } });
    const firstScan = fields(await scanFinished(first, 'Music'));
    await first.stop();

    // While the server is down: one file rewritten in place, one added four folders down, one in a new folder below that.
    await copyFile(lib.at('music/Various/Hits/02 Two.mp3'), lib.at('music/Alpha Artist/First Album/02 Second.mp3'));
    await copyFile(lib.at('music/Various/Hits/01 One.mp3'), lib.at(`${deep}/02 Added.mp3`));
    await mkdir(lib.at(`${deep}/L5`));
    await copyFile(lib.at('music/Various/Hits/01 One.mp3'), lib.at(`${deep}/L5/03 Deeper.mp3`));

    const s = await start({ libraries, scan: { watch: false } }, first.dataDir);
    const quick = await scanFinished(s, 'Music');
    expect(quick).toMatch(/ pass=quick/);
    // Only L4 (its mtime moved) and the new L5 are read; every other folder is taken from the database.
    expect(fields(quick)).toMatchObject({ files: firstScan.files! + 2, probed: 2, removed: 0, skippedFolders: folders - 1 });
    let tracks = await byPath(s);
    expect(tracks.get('Deep/L1/L2/L3/L4/02 Added.mp3')).toMatchObject({ title: 'One' });
    expect(tracks.get('Deep/L1/L2/L3/L4/L5/03 Deeper.mp3')).toMatchObject({ title: 'One' });
    // The promise's limit, on purpose: the quick pass did not open the file rewritten in place.
    expect(tracks.get('Alpha Artist/First Album/02 Second.mp3')).toMatchObject({ title: 'Second' });

    // Rescan (what the remote's button sends) is a deep pass: every file's size and mtime are checked.
    const mark = s.lines.length;
    expect((await s.fetch('/api/library/rescan', { method: 'POST' })).status).toBe(202);
    const deepPass = await scanFinished(s, 'Music', mark);
    expect(deepPass).toMatch(/ pass=deep/);
    expect(fields(deepPass)).toMatchObject({ files: firstScan.files! + 2, probed: 1, removed: 0, skippedFolders: 0 });
    tracks = await byPath(s);
    expect(tracks.get('Alpha Artist/First Album/02 Second.mp3')).toMatchObject({ title: 'Two' });
    await s.stop();

    // While the server runs, the watcher finds a rewrite in place without any walk of the library.
    const watching = await start({ libraries, scan: { watch: true } }, first.dataDir);
    await scanFinished(watching, 'Music');
    await watching.waitForLine(/ watching /);
    const before = watching.lines.length;
    await copyFile(lib.at('music/Various/Hits/02 Two.mp3'), lib.at(`${deep}/01 Deep.mp3`));
    const updated = await watching.waitForLine(/ library updated library=Music .*probed=1 /, 20_000, before);
    expect(updated).toMatch(/path="?Deep\/L1\/L2\/L3\/L4\/01 Deep\.mp3/);
    expect(watching.lines.slice(before).some((l) => / scan finished /.test(l))).toBe(false);
    expect((await byPath(watching)).get('Deep/L1/L2/L3/L4/01 Deep.mp3')).toMatchObject({ title: 'Two' });
  });

  it('a quick rescan, which reads no rows of unchanged folders, still forgets deleted files and folders however deep', async () => {
    const lib = await copyFixtureLibrary();
    const one = lib.at('music/Various/Hits/01 One.mp3');
    for (const dir of ['Gone/A/B', 'Keep/Box/Inner']) await mkdir(lib.at(`music/${dir}`), { recursive: true });
    const made = ['Gone/top.mp3', 'Gone/A/B/deep.mp3', 'Keep/Box/01 Stays.mp3', 'Keep/Box/02 Deleted.mp3', 'Keep/Box/Inner/in.mp3'];
    for (const f of made) await copyFile(one, lib.at(`music/${f}`));
    const folders = await ageFolders(lib.music);
    const libraries = [{ name: 'Music', path: lib.music, kind: 'music' }];
    const first = await start({ libraries, scan: { watch: false } });
    const firstScan = fields(await scanFinished(first, 'Music'));
    expect([...(await byPath(first)).keys()]).toEqual(expect.arrayContaining(made));
    await first.stop();

    // While the server is down: a whole tree removed (three folders), a file and a subfolder removed from a folder kept.
    await rm(lib.at('music/Gone'), { recursive: true });
    await rm(lib.at('music/Keep/Box/02 Deleted.mp3'));
    await rm(lib.at('music/Keep/Box/Inner'), { recursive: true });

    const s = await start({ libraries, scan: { watch: false } }, first.dataDir);
    const quick = await scanFinished(s, 'Music');
    expect(quick).toMatch(/ pass=quick/);
    // Read again: the root and Keep/Box (their mtimes moved); the four gone folders are not there to skip.
    expect(fields(quick)).toMatchObject({ files: firstScan.files! - 4, probed: 0, removed: 4, skippedFolders: folders - 2 - 4 });
    const tracks = await byPath(s);
    for (const f of ['Gone/top.mp3', 'Gone/A/B/deep.mp3', 'Keep/Box/02 Deleted.mp3', 'Keep/Box/Inner/in.mp3']) expect(tracks.has(f), f).toBe(false);
    expect(tracks.get('Keep/Box/01 Stays.mp3')).toMatchObject({ title: 'One' });
    expect(tracks.get('Alpha Artist/First Album/02 Second.mp3')).toMatchObject({ title: 'Second' });
    expect((await s.get<List<Track>>('/api/library/tracks?limit=1')).body.total).toBe(tracks.size);

    // Nothing changed since: the next quick pass reads no folder but the two racy ones, and counts the same.
    await s.stop();
    const again = await start({ libraries, scan: { watch: false } }, first.dataDir);
    expect(fields(await scanFinished(again, 'Music'))).toMatchObject({ files: firstScan.files! - 4, probed: 0, removed: 0 });
  });
});

async function start(config: Record<string, unknown>, dataDir?: string): Promise<RunningServer> {
  const s = await startServer({ config, ...(dataDir ? { dataDir } : {}) });
  servers.push(s);
  return s;
}
