// Apple TV profiles per model, as the transcode decision uses them.
import { describe, expect, it } from 'vitest';
import { appleTvProfiles, profileForModel } from '../../../../receivers/airplay/profile.js';
import { decide } from '../../../../server/playback/decide.js';
import type { MediaInfo, MediaVideo } from '../../../../server/playback/media-info.js';

const movie = (video: Partial<MediaVideo>, container = 'mp4', audio = 'aac'): MediaInfo => ({
  container, bitrate: 4_000_000, subtitles: [],
  video: { codec: 'h264', profile: 'High', level: 40, width: 1920, height: 1080, frameRate: 24, bitDepth: 8, hdr: null, ...video },
  audio: { codec: audio, sampleRate: 48_000, bitDepth: null, channels: 2, lossless: false },
});
const hevc4k: Partial<MediaVideo> = { codec: 'hevc', profile: 'Main 10', level: 153, width: 3840, height: 2160, frameRate: 60, bitDepth: 10, hdr: 'hdr10' };

describe('Apple TV profiles', () => {
  it.each([
    ['AppleTV2,1', appleTvProfiles.gen2], ['AppleTV3,1', appleTvProfiles.gen3], ['AppleTV3,2', appleTvProfiles.gen3], ['AppleTV5,3', appleTvProfiles.hd],
    ['AppleTV6,2', appleTvProfiles.uhd], ['AppleTV11,1', appleTvProfiles.uhd], ['AppleTV14,1', appleTvProfiles.uhd],
  ])('%s → %s', (model, profile) => {
    expect(profileForModel(model)).toBe(profile);
    expect(profile.audioOnly).toBe(false);
  });

  it('speakers (and an Apple TV the caller calls a speaker) stay audio-only', () => {
    expect(profileForModel('AirPort10,115').audioOnly).toBe(true);
    expect(profileForModel('AudioAccessory5,1').audioOnly).toBe(true);
    expect(profileForModel('AppleTV3,2', { audioOnlyHint: true }).audioOnly).toBe(true);
  });

  it('HEVC is transcoded to H.264 as HLS for an Apple TV 3, within 1080p30 and level 4.0, with the reason', () => {
    const d = decide(movie(hevc4k), profileForModel('AppleTV3,2'));
    expect(d.kind).toBe('transcode');
    expect(d.target).toMatchObject({ container: 'hls', videoCodec: 'h264', maxWidth: 1920, maxHeight: 1080, maxFrameRate: 30, audioCodec: 'copy' });
    expect(d.reasons.join('; ')).toMatch(/HEVC not supported by Apple TV \(3rd gen\)/);
  });

  it('HEVC HDR10 4K60 plays direct on an Apple TV 4K; Dolby Vision too', () => {
    expect(decide(movie(hevc4k), profileForModel('AppleTV6,2'))).toEqual({ kind: 'direct', reasons: [] });
    expect(decide(movie({ ...hevc4k, hdr: 'dolby-vision' }), profileForModel('AppleTV14,1')).kind).toBe('direct');
  });

  it('1080p60 H.264: direct on an Apple TV HD, rate-capped for an Apple TV 3, 720p for an Apple TV 2', () => {
    const m = movie({ frameRate: 60, level: 42 });
    expect(decide(m, profileForModel('AppleTV5,3')).kind).toBe('direct');
    expect(decide(m, profileForModel('AppleTV3,1'))).toMatchObject({ kind: 'transcode', target: { maxFrameRate: 30 } });
    expect(decide(movie({ profile: 'Main', level: 31, width: 1280, height: 720, frameRate: 25 }), profileForModel('AppleTV2,1')).kind).toBe('direct');
    expect(decide(movie({}), profileForModel('AppleTV2,1'))).toMatchObject({ kind: 'transcode', target: { maxWidth: 1280, maxHeight: 720 } });
  });

  it('Matroska is re-wrapped as HLS (no Apple player reads it); AC-3 plays, Opus does not', () => {
    expect(decide(movie({}, 'matroska'), profileForModel('AppleTV3,2'))).toMatchObject({ kind: 'remux', target: { container: 'hls', videoCodec: 'copy', audioCodec: 'copy' } });
    expect(decide(movie({}, 'mp4', 'ac3'), profileForModel('AppleTV3,2')).kind).toBe('direct');
    expect(decide(movie({}, 'matroska', 'opus'), profileForModel('AppleTV6,2'))).toMatchObject({ kind: 'audio-transcode', target: { audioCodec: 'aac' } });
  });

  it('audio through the video driver: MP3 direct, FLAC re-encoded into a container the TV reads', () => {
    const mp3: MediaInfo = { container: 'mp3', bitrate: null, subtitles: [], audio: { codec: 'mp3', sampleRate: 44_100, bitDepth: null, channels: 2, lossless: false } };
    expect(decide(mp3, profileForModel('AppleTV3,2')).kind).toBe('direct');
    const flac: MediaInfo = { ...mp3, container: 'flac', audio: { codec: 'flac', sampleRate: 44_100, bitDepth: 16, channels: 2, lossless: true } };
    expect(decide(flac, profileForModel('AppleTV3,2'))).toMatchObject({ kind: 'audio-transcode', target: { container: 'adts', audioCodec: 'aac' } });
  });
});
