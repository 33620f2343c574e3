// "This device": what a browser says it plays becomes a profile the decision code reads, with
// reasons naming it. Chromium on Linux (what Debian's build answers: no HEVC, no AC-3, no ALAC, no
// Matroska by type, HLS through hls.js) against Safari on iOS (HEVC, AC-3, native HLS, no Ogg).
import { describe, expect, it } from 'vitest';
import { browserProfile, type BrowserSupport } from '../../../../receivers/browser/profile.js';
import { decide } from '../../../../server/playback/decide.js';
import type { MediaAudio, MediaInfo, MediaVideo } from '../../../../server/playback/media-info.js';

const v = (codec: string, extra: Partial<MediaVideo> = {}): MediaVideo => ({ codec, profile: 'High', level: 40, width: 1920, height: 1080, frameRate: 24, bitDepth: 8, hdr: null, ...extra });
const a = (codec: string, channels = 2, lossless = false): MediaAudio => ({ codec, channels, sampleRate: 48_000, bitDepth: null, lossless });
const video = (container: string, vid: MediaVideo, aud: MediaAudio): MediaInfo => ({ container, video: vid, audio: aud, bitrate: 5_000_000, subtitles: [] });
const track = (container: string, aud: MediaAudio): MediaInfo => ({ container, audio: aud, bitrate: 900_000, subtitles: [] });

const chromium: BrowserSupport = {
  containers: ['mp4', 'webm', 'ogg', 'mp3', 'flac', 'wav', 'adts', 'hls'],
  video: [{ codec: 'h264', maxLevel: 52 }, { codec: 'vp8' }, { codec: 'vp9' }, { codec: 'av1' }],
  audio: ['aac', 'mp3', 'flac', 'opus', 'vorbis', 'pcm'],
};
const safari: BrowserSupport = {
  containers: ['mp4', 'mp3', 'flac', 'wav', 'adts', 'hls'],
  video: [{ codec: 'h264', maxLevel: 52 }, { codec: 'hevc' }],
  audio: ['aac', 'mp3', 'flac', 'pcm', 'alac', 'ac3', 'eac3'],
};

describe('a browser profile fed to the decision', () => {
  it('plays what it said it plays as is: H.264/AAC in MP4, FLAC, MP3', () => {
    const p = browserProfile(chromium);
    expect(decide(video('mp4', v('h264'), a('aac')), p)).toEqual({ kind: 'direct', reasons: [] });
    expect(decide(track('flac', a('flac', 2, true)), p).kind).toBe('direct');
    expect(decide(track('mp3', a('mp3')), p).kind).toBe('direct');
  });
  it('HEVC with AC-3 5.1 in Matroska on Chromium: converted to H.264 as HLS, with the reasons naming "This device"', () => {
    const d = decide(video('matroska', v('hevc', { profile: 'Main', level: 120 }), a('ac3', 6)), browserProfile(chromium));
    expect(d).toMatchObject({ kind: 'transcode', target: { container: 'hls', videoCodec: 'h264', audioCodec: 'aac', channels: 2 } });
    expect(d.reasons).toEqual(['HEVC not supported by This device', 'Matroska container not supported by This device', 'AC-3 audio not supported by This device']);
  });
  it('the same file on Safari: the HEVC picture is copied into HLS, only the AC-3 re-encoded', () => {
    const d = decide(video('matroska', v('hevc', { profile: 'Main', level: 120 }), a('ac3', 6)), browserProfile(safari));
    expect(d).toMatchObject({ kind: 'audio-transcode', target: { container: 'hls', videoCodec: 'copy', audioCodec: 'aac' } });
  });
  it('H.264 in Matroska: re-wrapped, not re-encoded', () => {
    expect(decide(video('matroska', v('h264'), a('aac')), browserProfile(chromium))).toMatchObject({ kind: 'remux', target: { container: 'hls', videoCodec: 'copy', audioCodec: 'copy' } });
  });
  it('an H.264 level above what it said yes to is converted', () => {
    const low = browserProfile({ ...chromium, video: [{ codec: 'h264', maxLevel: 31 }] });
    const d = decide(video('mp4', v('h264', { level: 41 }), a('aac')), low);
    expect(d.kind).toBe('transcode');
    expect(d.reasons).toContain("H.264 level 4.1 above This device's 3.1");
  });
  it('ALAC on Chromium goes as FLAC (lossless stays lossless); Ogg Opus on Safari as AAC', () => {
    expect(decide(track('mp4', a('alac', 2, true)), browserProfile(chromium))).toMatchObject({ kind: 'audio-transcode', target: { container: 'flac', audioCodec: 'flac' }, reasons: ['ALAC audio not supported by This device'] });
    expect(decide(track('ogg', a('opus')), browserProfile(safari))).toMatchObject({ kind: 'audio-transcode', target: { container: 'adts', audioCodec: 'aac' } });
  });
  it('a browser that reported nothing plays nothing, and says why', () => {
    const d = decide(track('mp3', a('mp3')), browserProfile({ containers: [], video: [], audio: [] }));
    expect(d.kind).toBe('unplayable');
    expect(d.reasons.join('; ')).toContain('This device');
  });
});
