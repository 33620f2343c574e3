import { describe, expect, it } from 'vitest';
import { profileForModel } from '../../../../receivers/airplay/profile.js';
import { decide } from '../../../../server/playback/decide.js';
import type { MediaInfo } from '../../../../server/playback/media-info.js';

const audio = (codec: string, container: string, sampleRate = 44_100, bitDepth: number | null = 16, channels = 2, lossless = false): MediaInfo => ({
  container, audio: { codec, sampleRate, bitDepth, channels, lossless }, bitrate: null, subtitles: [],
});

describe('AirPlay profile', () => {
  const p = profileForModel('ShairportSync');

  it('is audio-only, no video, no subtitles', () => {
    expect(p.audioOnly).toBe(true);
    expect(p.videoCodecs).toEqual([]);
    expect(p.subtitleFormats).toEqual([]);
    expect(p.name).toBe('AirPlay speaker (ShairportSync)');
    expect(profileForModel(null).name).toBe('AirPlay speaker');
  });

  it.each([
    ['mp3', 'mp3'], ['aac', 'adts'], ['aac', 'mp4'], ['alac', 'mp4'], ['opus', 'ogg'], ['vorbis', 'ogg'], ['pcm', 'wav'], ['pcm', 'aiff'], ['flac', 'flac'], ['ac3', 'matroska'],
  ])('%s in %s plays direct (the driver decodes it)', (codec, container) => {
    expect(decide(audio(codec, container), p)).toEqual({ kind: 'direct', reasons: [] });
  });

  it('hi-res and multichannel audio play direct too: the driver downmixes and resamples', () => {
    expect(decide(audio('flac', 'flac', 192_000, 24, 6, true), p).kind).toBe('direct');
  });

  it('a video gives its audio only', () => {
    const d = decide({
      container: 'mp4', bitrate: 5_000_000, subtitles: [],
      video: { codec: 'h264', profile: 'High', level: 41, width: 1920, height: 1080, frameRate: 24, bitDepth: 8, hdr: null },
      audio: { codec: 'aac', sampleRate: 48_000, bitDepth: null, channels: 2, lossless: false },
    }, p);
    expect(d.kind).toBe('remux');
    expect(d.target).toMatchObject({ audioCodec: 'copy' });
    expect(d.target?.videoCodec).toBeUndefined();
    expect(d.reasons[0]).toMatch(/audio-only/);
  });
});
