// A library of generated tracks as LibraryQueries gives them (no database), for the DLNA unit tests.
import type { LibraryQueries, TrackRow } from '../../../server/library/queries.js';

export function track(id: number, over: Partial<TrackRow> = {}): TrackRow {
  const album = id % 40;
  return {
    id, title: `Song ${String(id).padStart(4, '0')}`, artist: `Artist ${id % 7}`, artistId: 1 + (id % 7), album: `Album ${album}`, albumId: 100 + album, albumArtist: `Artist ${album % 7}`,
    trackNo: id % 12, trackTotal: 12, discNo: null, discTotal: null, year: 2000 + (id % 20), genre: ['Rock', 'Jazz', null][id % 3] ?? null, duration: 60 + id, codec: 'mp3', container: 'mp3',
    lossless: false, sampleRate: 44100, bitDepth: null, channels: 2, bitrate: 128_000, replayGain: { trackGain: null, trackPeak: null, albumGain: null, albumPeak: null },
    mime: 'audio/mpeg', size: 1000 + id, library: 'Music', path: `Artist ${id % 7}/Album ${album}/${id}.mp3`, artHash: null, ...over,
  };
}

/** `reads.tracks`: how many times the whole track list was read (a tree being built). */
export function fakeQueries(rows: () => TrackRow[], reads = { tracks: 0 }): LibraryQueries {
  const albums = () => [...new Map(rows().filter((t) => t.albumId !== null).map((t) => [t.albumId!, { id: t.albumId!, title: t.album!, artist: t.albumArtist!, artistId: 1 + (t.albumId! % 7), year: 2000, compilation: false, tracks: 0, duration: 0, artHash: null }])).values()];
  return {
    tracks: (p: { ids?: readonly number[] }) => {
      if (!p.ids) reads.tracks++;
      return { items: rows(), total: rows().length };
    },
    albums: () => ({ items: albums(), total: albums().length }),
    videos: () => ({ items: [], total: 0 }),
    photos: () => ({ items: [], total: 0 }),
  } as unknown as LibraryQueries;
}
