// Which subtitle an item starts with and how tracks are named; the flags a scan reads from
// .srt/.vtt names beside a video (real ffprobe on a fixture copied beside them).
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubtitleInfo } from '../../../server/library/probe-types.js';
import { probeVideo } from '../../../server/library/probe-video.js';
import { defaultSubtitle, subtitleLabel, subtitleTracks, withStreamFlags } from '../../../server/playback/subtitles.js';
import { FIXTURES_TIMEOUT_MS, loadFixtures } from '../../helpers/fixtures.js';

const sub = (over: Partial<SubtitleInfo> = {}): SubtitleInfo => ({ source: 'embedded', format: 'subrip', language: null, title: null, streamIndex: 2, ...over });

describe('the subtitle an item starts with', () => {
  it('none when no track is flagged, however many there are', () => {
    expect(defaultSubtitle([])).toBeNull();
    expect(defaultSubtitle([sub({ language: 'eng' }), sub({ language: 'fra' })])).toBeNull();
  });

  it('the track flagged default, else the one flagged forced', () => {
    expect(defaultSubtitle([sub(), sub({ default: true })])).toBe(1);
    expect(defaultSubtitle([sub(), sub(), sub({ forced: true })])).toBe(2);
    expect(defaultSubtitle([sub({ forced: true }), sub({ default: true })])).toBe(1);
  });
});

describe('track names', () => {
  it('language in words, a title beside it, forced said, a bare file by its name', () => {
    expect(subtitleLabel(sub({ language: 'fra' }), 0)).toBe('French');
    expect(subtitleLabel(sub({ language: 'eng', title: 'SDH' }), 0)).toBe('English · SDH');
    expect(subtitleLabel(sub({ language: 'en', title: 'English' }), 0)).toBe('English');
    expect(subtitleLabel(sub({ language: 'pt-BR', forced: true }), 0)).toBe('Brazilian Portuguese (forced)');
    expect(subtitleLabel(sub({ language: 'xx' }), 0)).toBe('xx');
    expect(subtitleLabel(sub(), 3)).toBe('Track 4');
    expect(subtitleLabel(sub({ source: 'external', format: 'srt', path: '/lib/Films/Movie.srt' }), 1)).toBe('Movie.srt');
  });

  it('lists index, label, language and flags', () => {
    expect(subtitleTracks([sub({ language: 'eng' }), sub({ language: 'fra', default: true })])).toEqual([
      { index: 0, label: 'English', language: 'eng', default: false, forced: false },
      { index: 1, label: 'French', language: 'fra', default: true, forced: false },
    ]);
  });

  it('rows scanned before flags were kept take them from the stream list', () => {
    const streams = [{ index: 2, type: 'subtitle' as const, codec: 'subrip', default: true, forced: false }, { index: 3, type: 'subtitle' as const, codec: 'subrip', forced: true }];
    expect(withStreamFlags([sub({ streamIndex: 2 }), sub({ streamIndex: 3 }), sub({ source: 'external', path: '/x.srt' })], streams).map((s) => [s.default, s.forced]))
      .toEqual([[true, false], [false, true], [undefined, undefined]]);
  });
});

describe('flags in the names of subtitle files beside a video', () => {
  let dir: string;
  beforeAll(async () => {
    const fx = await loadFixtures();
    dir = await mkdtemp(join(tmpdir(), 'hc-subnames-'));
    await copyFile(fx.files.clip.path, join(dir, 'Film.mp4'));
    for (const name of ['Film.en.srt', 'Film.fr.forced.srt', 'Film.de.default.vtt', 'Other.en.srt']) await writeFile(join(dir, name), '');
  }, FIXTURES_TIMEOUT_MS);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads .forced. and .default. (as Plex and Jellyfin do), and the language', async () => {
    const info = await probeVideo(join(dir, 'Film.mp4'));
    expect(info.subtitles.map((s) => [s.language, s.format, s.default, s.forced])).toEqual([
      ['de', 'vtt', true, false],
      ['en', 'srt', false, false],
      ['fr', 'srt', false, true],
    ]);
  });
});
