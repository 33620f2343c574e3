// The DLNA tree costs memory only while control points browse: not built for a library change
// nobody browsed (a scan still bumps SystemUpdateID), dropped after a quiet spell, and rebuilt
// with the same pages; a change after a drop still names the containers that changed.
import { describe, expect, it } from 'vitest';
import { fakeQueries, track } from './fake-library.js';
import { contentDirectory, type CdsContext } from '../../../server/dlna/content-directory.js';
import { DlnaLibrary, type Changed } from '../../../server/dlna/library-state.js';

function setUp(dropAfterMs = 60_000) {
  const state = { rows: Array.from({ length: 300 }, (_, i) => track(i + 1)) };
  const reads = { tracks: 0 };
  const library = new DlnaLibrary(fakeQueries(() => state.rows, reads), 1, () => {}, 0, dropAfterMs);
  const ctx: CdsContext = { library, links: (item) => ({ original: `http://h/media/${item.row.id}`, variants: [] }), art: (h) => `http://h/art/${h}` };
  const browse = (id: string, start = 0, count = 0) =>
    Object.fromEntries(contentDirectory('Browse', { ObjectID: id, BrowseFlag: 'BrowseDirectChildren', Filter: '*', StartingIndex: String(start), RequestedCount: String(count), SortCriteria: '' }, ctx)) as { Result: string; TotalMatches: number };
  return { state, reads, library, browse };
}

describe('DLNA tree in memory only while browsed', () => {
  it('a library change nobody browsed bumps SystemUpdateID without reading the library', async () => {
    const { reads, library, browse } = setUp();
    const changed = new Promise<Changed>((r) => library.once('changed', r));
    library.invalidate();
    const c = await changed;
    expect(c.systemUpdateId).toBe(2);
    expect(reads.tracks).toBe(0);
    expect(library.built).toBe(false);
    expect(browse('music/tracks').TotalMatches).toBe(300);
    expect(reads.tracks).toBe(1);
    expect(library.built).toBe(true);
    library.close();
  });

  it('drops the tree after a quiet spell, rebuilds the same pages, and still names what changed since', async () => {
    const { state, reads, library, browse } = setUp(5);
    const pages = [0, 100, 200].map((start) => browse('music/tracks', start, 100).Result);
    await new Promise<void>((r) => library.once('dropped', r));
    expect(library.built).toBe(false);
    expect([0, 100, 200].map((start) => browse('music/tracks', start, 100).Result)).toEqual(pages);
    expect(reads.tracks).toBe(2);
    await new Promise<void>((r) => library.once('dropped', r));
    state.rows = [...state.rows, track(5000, { genre: 'Ska', albumId: 999, album: 'New' })];
    const changed = new Promise<Changed>((r) => library.once('changed', r));
    library.invalidate();
    const ids = (await changed).containers;
    expect(ids).toEqual(expect.arrayContaining(['music/tracks', 'music/albums', 'music/albums/999', 'music/genres/Ska']));
    expect(ids).not.toContain('music/genres/Jazz');
    library.close();
  });
});
