// The HLS choice: an Apple TV (its profile lists 'hls') gets a transcode or a copied H.264 picture
// as HLS, so does a copied HEVC one (fMP4 segments); direct play stays direct; a device without 'hls' is unchanged.
// And the load request for it: a signed playlist URL, not live, the start position kept.
import { describe, expect, it } from 'vitest';
import { profileForModel } from '../../../receivers/airplay/profile.js';
import { castProfiles } from '../../../receivers/chromecast/profile.js';
import type { ReceiverDescriptor } from '../../../receivers/types.js';
import { createSigner } from '../../../server/media/signing.js';
import { decide } from '../../../server/playback/decide.js';
import { loadRequestBuilder } from '../../../server/playback/load-request.js';
import type { MediaAudio, MediaInfo, MediaVideo } from '../../../server/playback/media-info.js';
import type { Playable } from '../../../server/playback/playable.js';

const v = (codec: string, extra: Partial<MediaVideo> = {}): MediaVideo => ({ codec, profile: 'Main', level: 40, width: 1920, height: 1080, frameRate: 24, bitDepth: 8, hdr: null, ...extra });
const a = (codec: string, channels = 2): MediaAudio => ({ codec, channels, sampleRate: 48_000, bitDepth: null, lossless: false });
const media = (container: string, video: MediaVideo, audio: MediaAudio): MediaInfo => ({ container, video, audio, bitrate: 5_000_000, subtitles: [] });
const tv3 = profileForModel('AppleTV3,2');
const tv4k = profileForModel('AppleTV6,2');

describe('the decision for Apple TVs', () => {
  it('every Apple TV profile takes HLS', () => {
    for (const m of ['AppleTV2,1', 'AppleTV3,1', 'AppleTV3,2', 'AppleTV5,3', 'AppleTV6,2', 'AppleTV14,1']) expect(profileForModel(m).containers).toContain('hls');
  });
  it('HEVC on an Apple TV 3: re-encoded to H.264 into HLS', () => {
    const d = decide(media('matroska', v('hevc', { level: 120 }), a('ac3', 6)), tv3);
    expect(d).toMatchObject({ kind: 'transcode', target: { container: 'hls', videoCodec: 'h264', audioCodec: 'aac', maxWidth: 1920, maxHeight: 1080, maxFrameRate: 30 } });
  });
  it('H.264 in Matroska: the picture copied into HLS; AAC copied too, AC-3 to AAC', () => {
    expect(decide(media('matroska', v('h264'), a('aac')), tv3)).toMatchObject({ kind: 'remux', target: { container: 'hls', videoCodec: 'copy', audioCodec: 'copy' } });
    expect(decide(media('matroska', v('h264'), a('opus')), tv3)).toMatchObject({ kind: 'audio-transcode', target: { container: 'hls', videoCodec: 'copy', audioCodec: 'aac' } });
  });
  it('HEVC copied for an Apple TV 4K goes as HLS (fMP4 segments); AC-3 to AAC', () => {
    expect(decide(media('matroska', v('hevc', { level: 150 }), a('aac')), tv4k)).toMatchObject({ kind: 'remux', target: { container: 'hls', videoCodec: 'copy', audioCodec: 'copy' } });
    expect(decide(media('matroska', v('hevc', { level: 150 }), a('ac3', 6)), tv4k)).toMatchObject({ kind: 'audio-transcode', target: { container: 'hls', videoCodec: 'copy', audioCodec: 'aac', channels: 2 } });
    for (const m of ['AppleTV11,1', 'AppleTV14,1']) expect(decide(media('matroska', v('hevc', { level: 150 }), a('ac3', 6)), profileForModel(m)).target?.container).toBe('hls');
  });
  it('HEVC copied for a Cast device that takes HEVC stays MP4 (no HLS there)', () => {
    const cast = Object.values(castProfiles).find((p) => p.videoCodecs.some((c) => c.codec === 'hevc'))!;
    expect(decide(media('matroska', v('hevc', { level: 90 }), a('aac')), cast)).toMatchObject({ kind: 'remux', target: { container: 'mp4', videoCodec: 'copy' } });
  });
  it('an MP4 the TV plays stays direct', () => {
    expect(decide(media('mp4', v('h264'), a('aac')), tv3)).toEqual({ kind: 'direct', reasons: [] });
  });
  it('a device without HLS is unchanged (Chromecast: MP4)', () => {
    const cast = Object.values(castProfiles)[0]!;
    expect(cast.containers).not.toContain('hls');
    expect(decide(media('matroska', v('hevc', { level: 120 }), a('aac')), cast).target?.container).not.toBe('hls');
  });
});

describe('the load request', () => {
  const signer = createSigner({ secret: Buffer.alloc(32, 2), ttlSeconds: 3600 });
  const build = loadRequestBuilder({ signer, port: () => 8080 });
  const tv: ReceiverDescriptor = { id: 'airplay:x', kind: 'airplay', name: 'TV', model: 'AppleTV3,2', host: '127.0.0.1', port: 7000, type: 'tv', online: true, lastSeen: 0, source: 'config' };
  const item = (duration: number | null): Playable => ({ id: 7, kind: 'video', title: 'Film', duration, mime: 'video/x-matroska', artHash: null, media: null, hdr: null, subtitles: [] });
  const decision = decide(media('matroska', v('hevc', { level: 120 }), a('ac3', 6)), tv3);

  it('a signed playlist URL, not live: duration and start position as for a file', async () => {
    const req = await build(tv, item(600), decision, 120);
    expect(req.url).toMatch(/^http:\/\/127\.0\.0\.1:8080\/hls\/7\/index\.m3u8\?c=hls&vc=h264&ac=aac&.*s=[\w-]+&exp=\d+&sig=/);
    expect(req).toMatchObject({ contentType: 'application/vnd.apple.mpegurl', live: false, startAt: 120, duration: 600 });
 
    // A seek reloads the item: the same stream (its ffmpeg and segments) serves it; another TV gets its own.
    const s = (u: string) => new URL(u).searchParams.get('s');
    expect(s((await build(tv, item(600), decision, 300)).url)).toBe(s(req.url));
    expect(s((await build({ ...tv, id: 'airplay:y' }, item(600), decision, 0)).url)).not.toBe(s(req.url));
  });
  it('a copied HEVC picture: the playlist URL (vc=copy); with no duration, live fragmented MP4, not MPEG-TS', async () => {
    const hevc = media('matroska', v('hevc', { level: 150 }), a('ac3', 6));
    const d = decide(hevc, tv4k);
    const film = (duration: number | null): Playable => ({ ...item(duration), media: hevc });
    const req = await build({ ...tv, model: 'AppleTV6,2' }, film(600), d, 30);
    expect(req.url).toMatch(/\/hls\/7\/index\.m3u8\?c=hls&vc=copy&ac=aac&/);
    expect(req).toMatchObject({ contentType: 'application/vnd.apple.mpegurl', live: false, startAt: 30, duration: 600 });
    const live = await build({ ...tv, model: 'AppleTV6,2' }, film(null), d, 0);
    expect(live.url).toMatch(/\/media\/7\?c=mp4&vc=copy&ac=aac/);
    expect(live).toMatchObject({ contentType: 'video/mp4', live: true });
  });
  it('no duration, no playlist: the same encode as a live MPEG-TS at /media', async () => {
    const req = await build(tv, item(null), decision, 0);
    expect(req.url).toMatch(/\/media\/7\?c=mpegts&vc=h264&ac=aac/);
    expect(req).toMatchObject({ contentType: 'video/mp2t', live: true });
  });
});
