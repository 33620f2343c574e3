import { describe, expect, it } from 'vitest';
import { decisionText, resolutionLabel } from '../../../ui/src/data/format.js';
import { listUrl } from '../../../ui/src/data/library.js';

describe('format', () => {
  it('says what the decision is and why', () => {
    expect(decisionText(null)).toBeNull();
    expect(decisionText({ kind: 'direct', reasons: [] })).toBe('Direct play');
    expect(decisionText({ kind: 'transcode', reasons: ['HEVC not supported by Chromecast (1st/2nd gen)'] })).toBe('Transcoding: HEVC not supported by Chromecast (1st/2nd gen)');
    expect(decisionText({ kind: 'audio-transcode', reasons: ['a', 'b'] })).toBe('Transcoding audio: a; b');
  });

  it('names video sizes as people do', () => {
    expect(resolutionLabel({ width: 1920, height: 1080 })).toBe('1080p');
    expect(resolutionLabel({ width: 1920, height: 800 })).toBe('1080p');
    expect(resolutionLabel({ width: 3840, height: 2160 })).toBe('4K');
    expect(resolutionLabel({ width: 1280, height: 720 })).toBe('720p');
    expect(resolutionLabel({ width: 1280, height: 534 })).toBe('720p');
    expect(resolutionLabel({ width: 1440, height: 1080 })).toBe('1080p');
    expect(resolutionLabel({ width: 1080, height: 1920 })).toBe('1080p');
    expect(resolutionLabel({ width: 2560, height: 1440 })).toBe('1440p');
    expect(resolutionLabel({ width: 4096, height: 2160 })).toBe('4K');
    expect(resolutionLabel({ width: 720, height: 576 })).toBe('576p');
    expect(resolutionLabel({ width: 720, height: 480 })).toBe('480p');
    expect(resolutionLabel({ width: 854, height: 480 })).toBe('480p');
    expect(resolutionLabel({ width: 640, height: 360 })).toBe('360p');
    expect(resolutionLabel({ width: 320, height: 240 })).toBe('240p');
    expect(resolutionLabel({ width: 176, height: 144 })).toBe('144p');
    expect(resolutionLabel({ width: null, height: null })).toBeNull();
  });

  it('builds list URLs with only the filters given', () => {
    expect(listUrl('tracks', { q: ' abc ', albumId: 4 }, 200, 100)).toBe('api/library/tracks?limit=100&offset=200&q=abc&albumId=4');
    expect(listUrl('albums', { q: '' }, 0, 100)).toBe('api/library/albums?limit=100&offset=0');
  });
});
