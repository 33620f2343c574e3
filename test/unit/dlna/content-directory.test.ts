// ContentDirectory over a library of 1,200 tracks (rows as LibraryQueries gives them, no database):
// paging caps, sort, search, child counts, and a change → new update IDs.
import { describe, expect, it } from 'vitest';
import { fakeQueries, track } from './fake-library.js';
import { contentDirectory, MAX_PAGE, type CdsContext } from '../../../server/dlna/content-directory.js';
import { DlnaLibrary, type Changed } from '../../../server/dlna/library-state.js';
import { UpnpError } from '../../../receivers/shared/upnp/soap.js';
import { parseXml } from '../../../receivers/shared/upnp/xml.js';

let rows = Array.from({ length: 1200 }, (_, i) => track(i + 1));
const library = new DlnaLibrary(fakeQueries(() => rows), 5, () => {}, 0);
const ctx: CdsContext = { library, links: (item) => ({ original: `http://h/media/${item.row.id}`, variants: [] }), art: (h) => `http://h/art/${h}` };
const browse = (id: string, start = 0, count = 0, sort = '') =>
  contentDirectory('Browse', { ObjectID: id, BrowseFlag: 'BrowseDirectChildren', Filter: '*', StartingIndex: String(start), RequestedCount: String(count), SortCriteria: sort }, ctx);
const out = (o: Array<[string, string | number]>) => Object.fromEntries(o) as { Result: string; NumberReturned: number; TotalMatches: number; UpdateID: number };
const didl = (xml: string) => parseXml(xml)['DIDL-Lite'] as { item?: any; container?: any };
const list = <T,>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

describe('ContentDirectory Browse', () => {
  it('caps a huge or zero RequestedCount at MAX_PAGE and says how many there are', () => {
    for (const count of [0, 4294967295]) {
      const r = out(browse('music/tracks', 0, count));
      expect(r.NumberReturned).toBe(MAX_PAGE);
      expect(r.TotalMatches).toBe(1200);
      expect(list(didl(r.Result).item)).toHaveLength(MAX_PAGE);
    }
    expect(out(browse('music/tracks', 1150, 100)).NumberReturned).toBe(50);
  });

  it('pages cover every child exactly once, in a stable order, and child counts match', () => {
    const seen: string[] = [];
    for (let start = 0; ; start += 77) {
      const r = out(browse('music/tracks', start, 77));
      if (r.NumberReturned === 0) break;
      seen.push(...list(didl(r.Result).item).map((i: any) => i['@id']));
    }
    expect(seen).toHaveLength(1200);
    expect(new Set(seen).size).toBe(1200);
    const albums = list(didl(out(browse('music/albums')).Result).container);
    expect(albums).toHaveLength(40);
    for (const a of albums) expect(out(browse(a['@id'])).TotalMatches).toBe(Number(a['@childCount']));
  });

  it('sorts by the criteria asked, and refuses an unknown one', () => {
    const titles = list(didl(out(browse('music/tracks', 0, 3, '-dc:title')).Result).item).map((i: any) => i.title);
    expect(titles).toEqual(['Song 1200', 'Song 1199', 'Song 1198']);
    const byTrack = list(didl(out(browse('music/albums/101', 0, 0, '+upnp:originalTrackNumber,+dc:title')).Result).item).map((i: any) => Number(i.originalTrackNumber));
    expect(byTrack).toEqual([...byTrack].sort((a, b) => a - b));
    expect(() => browse('music/tracks', 0, 3, '+upnp:mood')).toThrow(UpnpError);
  });
});

describe('ContentDirectory Search', () => {
  const search = (criteria: string, id = '0') => out(contentDirectory('Search', { ContainerID: id, SearchCriteria: criteria, Filter: '*', StartingIndex: '0', RequestedCount: '0', SortCriteria: '' }, ctx));
  it('answers the subset TVs send', () => {
    expect(search('upnp:class derivedfrom "object.item.audioItem"').TotalMatches).toBe(1200);
    expect(search('upnp:class derivedfrom "object.item.videoItem"').TotalMatches).toBe(0);
    expect(search('upnp:class = "object.container.album.musicAlbum" and @refID exists false').TotalMatches).toBeGreaterThan(0);
    expect(search('dc:title contains "song 000"').TotalMatches).toBe(9);
    expect(search('(upnp:artist = "Artist 3" or upnp:artist = "Artist 4") and upnp:class derivedfrom "object.item"').TotalMatches)
      .toBe(rows.filter((t) => ['Artist 3', 'Artist 4'].includes(t.artist) || ['Artist 3', 'Artist 4'].includes(t.albumArtist!)).length);
    expect(search('upnp:genre = "Jazz"', 'music/tracks').TotalMatches).toBe(rows.filter((t) => t.genre === 'Jazz').length);
    expect(() => search('dc:title contains')).toThrow(UpnpError);
    expect(() => search('dc:title ~ "x"')).toThrow(UpnpError);
  });
});

describe('update IDs', () => {
  it('a change bumps SystemUpdateID once and names the containers whose children changed', async () => {
    const before = library.systemUpdateId;
    const changed = new Promise<Changed>((r) => library.once('changed', r));
    rows = [...rows, track(5000, { genre: 'Ska', albumId: 999, album: 'New', albumArtist: 'Artist 1' })];
    library.invalidate();
    const c = await changed;
    expect(c.systemUpdateId).toBe(before + 1);
    const ids = c.containerUpdateIds.split(',').filter((_, i) => i % 2 === 0);
    expect(ids).toEqual(expect.arrayContaining(['music/tracks', 'music/albums', 'music/albums/999', 'music/genres', 'music/genres/Ska']));
    expect(ids).not.toContain('video/all');
    expect(out(browse('music/tracks')).UpdateID).toBe(before + 1);
    expect(out(browse('video/all')).UpdateID).not.toBe(before + 1);
  });
});
