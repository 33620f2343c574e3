import { describe, expect, it } from 'vitest';
import { castProfiles, profileForModel } from '../../../../receivers/chromecast/profile.js';
import { CONTAINERS } from '../../../../server/media/transcode-params.js';

describe('profileForModel', () => {
  // [TXT md as devices (or people) spell it, profile name, audio only]
  const models: [string | null | undefined, string, boolean][] = [
    ['Chromecast', 'Chromecast (1st/2nd gen)', false],
    ['chromecast', 'Chromecast (1st/2nd gen)', false],
    ['Eureka Dongle', 'Chromecast (1st/2nd gen)', false],
    ['Chromecast (3rd gen)', 'Chromecast (3rd gen)', false],
    ['Chromecast Ultra', 'Chromecast Ultra', false],
    ['CHROMECAST-ULTRA', 'Chromecast Ultra', false],
    ['Chromecast HD', 'Chromecast with Google TV (HD)', false],
    ['Chromecast with Google TV', 'Chromecast with Google TV (4K)', false],
    ['Chromecast with Google TV (HD)', 'Chromecast with Google TV (HD)', false],
    ['Google TV Streamer', 'Google TV Streamer', false],
    ['Google Nest Hub', 'Google Nest Hub', false],
    ['Google Home Hub', 'Google Nest Hub', false],
    ['  google_nest   hub  max ', 'Google Nest Hub Max', false],
    ['Google Home', 'Google Home', true],
    ['Google Home Mini', 'Google Home Mini', true],
    ['Google Nest Mini', 'Google Nest Mini', true],
    ['Nest Audio', 'Nest Audio', true],
    ['Chromecast Audio', 'Chromecast Audio', true],
    ['Google Cast Group', 'Google Cast Group', true],
    ['Nest Wifi point', 'Nest Wifi point', true],
    ['SHIELD Android TV', 'SHIELD Android TV (as Chromecast 1st/2nd gen)', false],
    [null, 'Cast device (as Chromecast 1st/2nd gen)', false],
    [undefined, 'Cast device (as Chromecast 1st/2nd gen)', false],
    ['', 'Cast device (as Chromecast 1st/2nd gen)', false],
  ];
  it.each(models)('%j → %s', (model, name, audioOnly) => {
    const p = profileForModel(model);
    expect(p.name).toBe(name);
    expect(p.audioOnly).toBe(audioOnly);
    expect(p.videoCodecs.length === 0).toBe(audioOnly);
  });

  it.each([
    ['JBL Link 10', 'JBL Link 10'],
    [null, 'Cast device'],
  ])('an unknown %j with audioOnlyHint is a speaker', (model, name) => {
    const p = profileForModel(model, { audioOnlyHint: true });
    expect(p).toMatchObject({ name, audioOnly: true, videoCodecs: [], imageFormats: [] });
  });

  it('a known model ignores audioOnlyHint', () => {
    expect(profileForModel('Chromecast Ultra', { audioOnlyHint: true }).audioOnly).toBe(false);
  });

  it('unknown models keep the 1st/2nd gen limits without changing the shared profile', () => {
    const p = profileForModel('Some TV');
    expect(p.videoCodecs).toBe(castProfiles.gen1.videoCodecs);
    expect(castProfiles.gen1.name).toBe('Chromecast (1st/2nd gen)');
  });
});

describe('profile limits (Google "Supported Media for Google Cast")', () => {
  const codec = (key: keyof typeof castProfiles, c: string) => castProfiles[key].videoCodecs.find((v) => v.codec === c);

  // [profile, codec, max level, WxH@fps bounds]; no bounds = codec not supported
  const limits: [keyof typeof castProfiles, string, number | undefined, string | undefined][] = [
    ['gen1', 'h264', 41, '1920x1080@60'],
    ['gen1', 'hevc', undefined, undefined],
    ['gen1', 'vp9', undefined, undefined],
    ['gen3', 'h264', 42, '1920x1080@60'],
    ['ultra', 'hevc', 153, '3840x2160@60'],
    ['ultra', 'vp9', 51, '3840x2160@60'],
    ['ultra', 'vp8', undefined, '3840x2160@30'],
    ['googleTv4k', 'h264', 51, '3840x2160@60'],
    ['googleTvHd', 'hevc', 123, '1920x1080@60'],
    ['streamer', 'av1', 13, '3840x2160@60'],
    ['streamer', 'h264', 52, '3840x2160@60'],
    ['nestHub', 'vp9', 40, '1280x720@60'],
    ['nestHubMax', 'h264', 41, '1280x720@30'],
  ];
  it.each(limits)('%s %s: level %s, %s', (key, c, level, size) => {
    const s = codec(key, c);
    if (size === undefined) return expect(s).toBeUndefined();
    expect(s?.maxLevel).toBe(level);
    expect(`${s?.maxWidth}x${s?.maxHeight}@${s?.maxFrameRate}`).toBe(size);
  });

  it('1st/2nd gen H.264 is 720p60 or 1080p30, High profile, 8-bit', () => {
    expect(codec('gen1', 'h264')).toMatchObject({
      modes: [{ width: 1280, height: 720, frameRate: 60 }, { width: 1920, height: 1080, frameRate: 30 }],
      maxBitDepth: 8,
      profiles: ['Constrained Baseline', 'Baseline', 'Main', 'High'],
    });
  });

  it('HDR: Ultra plays HDR10 and Dolby Vision in HEVC', () => {
    expect(codec('ultra', 'hevc')?.hdr).toEqual(['hdr10', 'dolby-vision']);
    expect(codec('ultra', 'hevc')?.profiles).toEqual(['Main', 'Main 10']);
  });

  const all = [...Object.values(castProfiles), profileForModel('Google Home'), profileForModel('Google Cast Group')];
  it.each(all.map((p) => [p.name, p] as const))('%s: FLAC ≤ 96 kHz/24-bit, no AC-3/E-AC-3, containers our media routes know', (_n, p) => {
    expect(p.audioCodecs.find((a) => a.codec === 'flac')).toEqual({ codec: 'flac', maxSampleRate: 96_000, maxBitDepth: 24 });
    expect(p.audioCodecs.map((a) => a.codec)).toEqual(['flac', 'aac', 'mp3', 'opus', 'vorbis', 'pcm']);
    for (const c of p.containers) expect(Object.keys(CONTAINERS)).toContain(c);
    expect(p.containers).not.toContain('matroska');
  });
});
