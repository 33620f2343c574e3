// Playlist files as players write them: extended and plain M3U, Latin-1 .m3u from Windows tools,
// file:// URLs, .pls numbered out of order, streams and another machine's drive letters.
import { describe, expect, it } from 'vitest';
import { decodePlaylist, isPlaylistFile, parsePlaylist } from '../../../server/playlists/parse.js';
import { exportFileName, toM3u8 } from '../../../server/playlists/export.js';

describe('playlist files', () => {
  it('resolves relative entries from the file\'s folder and keeps absolute ones; streams and drive letters have no path', () => {
    const p = parsePlaylist('#EXTM3U\n#PLAYLIST:Summer\n#EXTINF:10,A - B\nsub/a.mp3\n\n/abs/b.flac\nfile:///abs/c%20d.mp3\nhttp://host/x.mp3\nC:\\Music\\e.mp3\n..\\up\\f.mp3\n', '/lib/Lists/s.m3u8');
    expect(p.name).toBe('Summer');
    expect(p.entries.map((e) => [e.line, e.path])).toEqual([
      [4, '/lib/Lists/sub/a.mp3'], [6, '/abs/b.flac'], [7, '/abs/c d.mp3'], [8, undefined], [9, undefined], [10, '/lib/up/f.mp3'],
    ]);
  });

  it('reads a .m3u that is not UTF-8 as Latin-1, and a .m3u8 as UTF-8 always', () => {
    const latin1 = Buffer.from('Caf\xe9/01 D\xe9j\xe0.mp3\n', 'latin1');
    expect(decodePlaylist(latin1, '/x/a.m3u')).toBe('Café/01 Déjà.mp3\n');
    expect(decodePlaylist(Buffer.from('\uFEFFCafé.mp3\n'), '/x/a.m3u8')).toBe('Café.mp3\n');
  });

  it('takes .pls entries in the order of their numbers', () => {
    const p = parsePlaylist('[playlist]\nFile3=c.mp3\nTitle3=C\nFile1=a.mp3\nfile2 = b.mp3\nNumberOfEntries=3\n', '/m/p.pls');
    expect(p.entries.map((e) => e.path)).toEqual(['/m/a.mp3', '/m/b.mp3', '/m/c.mp3']);
    expect(isPlaylistFile('X.PLS') && isPlaylistFile('a.m3u8') && !isPlaylistFile('a.m3u8.txt')).toBe(true);
  });

  it('exports paths relative to the first entry\'s library root, names without line breaks', () => {
    const roots = new Map([['Music', '/srv/music'], ['Video', '/srv/video']]);
    const text = toM3u8('Mix\nTwo', [
      { path: '/srv/music/A/01 x.mp3', library: 'Music', title: 'X', artist: 'A', duration: 61.6 },
      { path: '/srv/video/f.mkv', library: 'Video', title: null, artist: null, duration: null },
    ], roots);
    expect(text).toBe('#EXTM3U\n#PLAYLIST:Mix Two\n#EXTINF:62,A - X\nA/01 x.mp3\n#EXTINF:-1,\n../video/f.mkv\n');
    expect(exportFileName('a/b: "c"')).toBe('a_b_ _c_.m3u8');
  });
});
