// Who is browsing (from request headers) and the transcodes their profile makes us offer, through
// the same decision code Cast and AirPlay use.
import { describe, expect, it } from 'vitest';
import { recogniseClient } from '../../../server/dlna/client-profiles.js';
import { itemLinks } from '../../../server/dlna/links.js';
import { createSigner } from '../../../server/media/signing.js';
import type { TrackRow, VideoRow } from '../../../server/library/queries.js';

const signer = createSigner({ secret: Buffer.alloc(32, 7), ttlSeconds: 3600 });

const flac: TrackRow = {
  id: 7, title: 'Cover', artist: 'A', artistId: 1, album: 'B', albumId: 1, albumArtist: 'A', trackNo: 1, trackTotal: 1, discNo: null, discTotal: null, year: 2010, genre: 'Jazz',
  duration: 3, codec: 'flac', container: 'flac', lossless: true, sampleRate: 48000, bitDepth: 24, channels: 2, bitrate: 460_000,
  replayGain: { trackGain: null, trackPeak: null, albumGain: null, albumPeak: null }, mime: 'audio/flac', size: 170_000, library: 'Music', path: 'B/01.flac', artHash: null,
};
const mkv: VideoRow = {
  id: 9, title: 'Movie', year: 2020, container: 'matroska', duration: 20, bitrate: 2_000_000, width: 1280, height: 720, videoCodec: 'hevc', audioCodec: 'ac3', hdr: null,
  streams: [{ index: 0, type: 'video', codec: 'hevc', width: 1280, height: 720, frameRate: 25, profile: 'Main' }, { index: 1, type: 'audio', codec: 'ac3', channels: 6, sampleRate: 48000 }],
  subtitles: [], mime: 'video/x-matroska', size: 5_000_000, library: 'Video', path: 'Movie.mkv', artHash: null,
};

describe('DLNA client recognition', () => {
  it.each([
    [{ 'user-agent': 'SEC_HHP_[TV] Samsung Q7 Series (55)/1.0 DLNADOC/1.50' }, 'samsung'],
    [{ 'user-agent': 'Linux/3.10 UPnP/1.0 LGE_DLNA_SDK/1.6.0', 'x-av-client-info': 'av=5.0; cn="LG Electronics"; mn="webOS TV"' }, 'lg'],
    [{ 'x-av-client-info': 'av=5.0; cn="Sony Corporation"; mn="BRAVIA KDL-55W800C"; mv="3.0";' }, 'sony'],
    [{ 'user-agent': 'Panasonic MIL DLNA CP UPnP/1.0 DLNADOC/1.50' }, 'panasonic'],
    [{ 'user-agent': 'Xbox/2.0.17559.0 UPnP/1.0 Xbox/2.0.17559.0' }, 'xbox'],
    [{ 'user-agent': 'PLAYSTATION 4' }, 'playstation'],
    [{ 'user-agent': 'VLC/3.0.18 LibVLC/3.0.18' }, 'vlc'],
    [{ 'user-agent': 'Kodi/20.1 (X11; Linux x86_64) App_Bitness/64' }, 'kodi'],
    [{ 'user-agent': 'BubbleUPnP UPnP/1.1' }, 'bubbleupnp'],
    [{ 'user-agent': 'GUPnP/1.6.3 DLNADOC/1.50' }, 'generic'],
    [{}, 'generic'],
  ])('%j is %s', (headers, id) => {
    expect(recogniseClient(headers).id).toBe(id);
  });
});

describe('offered variants', () => {
  it('a generic renderer gets an AAC transcode of a FLAC, first; VLC and Samsung get the original alone', () => {
    const generic = itemLinks({ kind: 'audio', row: flac }, 'http://10.0.0.2:8420', signer, recogniseClient({}));
    expect(generic.original).toMatch(/^http:\/\/10\.0\.0\.2:8420\/media\/7\?exp=\d+&sig=/);
    expect(generic.variants).toHaveLength(1);
    expect(generic.variants[0]!.mime).toBe('audio/aac');
    expect(generic.variants[0]!.url).toMatch(/\/media\/7\?c=adts&ac=aac&/);
    expect(itemLinks({ kind: 'audio', row: flac }, 'http://h', signer, recogniseClient({ 'user-agent': 'VLC/3.0' })).variants).toEqual([]);
    expect(itemLinks({ kind: 'audio', row: flac }, 'http://h', signer, recogniseClient({ 'user-agent': 'SEC_HHP_TV' })).variants).toEqual([]);
  });

  it('an HEVC/AC-3 MKV: Sony gets H.264 in MPEG-TS (no HLS over DLNA); Samsung plays it as is', () => {
    const sony = itemLinks({ kind: 'video', row: mkv }, 'http://h', signer, recogniseClient({ 'x-av-client-info': 'BRAVIA' }));
    expect(sony.variants.map((v) => v.mime)).toEqual([expect.stringMatching(/^video\/(mp4|mp2t)$/)]);
    expect(sony.variants[0]!.url).toMatch(/vc=h264/);
    expect(itemLinks({ kind: 'video', row: mkv }, 'http://h', signer, recogniseClient({ 'user-agent': 'SEC_HHP_TV' })).variants).toEqual([]);
  });
});
