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

describe('DLNA client recognition from its own device description', () => {
  // manufacturer / modelName / friendlyName as these devices' renderer descriptions carry them.
  it.each([
    [{ manufacturer: 'Samsung Electronics', modelName: 'UE55MU8000', friendlyName: '[TV] Samsung 8 Series (55)' }, 'samsung'],
    [{ manufacturer: 'LG Electronics', modelName: 'LG TV', friendlyName: '[LG] webOS TV OLED55C9PLA' }, 'lg'],
    [{ manufacturer: 'Sony Corporation', modelName: 'KDL-55W800C', friendlyName: 'BRAVIA KDL-55W800C' }, 'sony'],
    [{ manufacturer: 'Sony Interactive Entertainment Inc.', modelName: 'PlayStation 4', friendlyName: 'PS4-123' }, 'playstation'],
    [{ manufacturer: 'Microsoft Corporation', modelName: 'Xbox One', friendlyName: 'Xbox-SystemOS' }, 'xbox'],
    [{ manufacturer: 'Panasonic', modelName: 'VIERA TX-55EX750B', friendlyName: '55EX750_Series' }, 'panasonic'],
    [{ manufacturer: 'XBMC Foundation', modelName: 'Kodi', friendlyName: 'Kodi (livingroom)' }, 'kodi'],
    // A Sony that is no TV (a receiver, a Blu-ray player) is not a Bravia.
    [{ manufacturer: 'Sony Corporation', modelName: 'STR-DN1080', friendlyName: 'Living AV' }, 'generic'],
    [{ manufacturer: 'Ivo Clarysse, Henner Zeller', modelName: 'gmediarender', friendlyName: 'Den Renderer' }, 'generic'],
  ])('%j is %s behind a bare User-Agent', (device, id) => {
    expect(recogniseClient({ 'user-agent': 'UPnP/1.0 DLNADOC/1.50' }, device).id).toBe(id);
  });

  it('the headers win over the description (VLC on a Samsung phone is VLC)', () => {
    expect(recogniseClient({ 'user-agent': 'VLC/3.0.18 LibVLC/3.0.18' }, { manufacturer: 'Samsung Electronics', modelName: 'SM-G991B', friendlyName: 'Galaxy S21' }).id).toBe('vlc');
  });

  it('a Samsung told apart by its description gets the video subtitle as sec:CaptionInfoEx', () => {
    const withSubs: VideoRow = { ...mkv, subtitles: [{ source: 'external', format: 'srt', language: 'en', title: null, path: 'Movie.en.srt' }] };
    const samsung = itemLinks({ kind: 'video', row: withSubs }, 'http://h', signer, recogniseClient({ 'user-agent': 'UPnP/1.0' }, { manufacturer: 'Samsung Electronics', modelName: 'UE55MU8000', friendlyName: '[TV] Samsung' }));
    const generic = itemLinks({ kind: 'video', row: withSubs }, 'http://h', signer, recogniseClient({ 'user-agent': 'UPnP/1.0' }));
    expect(samsung.captions).toMatch(/\/subs\/9\/0\?.*f=srt/);
    expect(generic.captions).toBeUndefined();
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
