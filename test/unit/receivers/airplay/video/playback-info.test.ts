import { describe, expect, it } from 'vitest';
import { endReason, readPlaybackInfo } from '../../../../../receivers/airplay/video/playback-info.js';

const loaded = { duration: 83.1, position: 14.5, rate: 1, readyToPlay: true, playbackBufferEmpty: false, playbackLikelyToKeepUp: true };
const fresh = { pausedByUs: false, hadPlayed: false };

describe('reading /playback-info', () => {
  it('a loaded item: playing at rate 1, with position and duration', () => {
    expect(readPlaybackInfo(loaded, fresh)).toEqual({ kind: 'loaded', state: 'playing', position: 14.5, duration: 83.1, rate: 1 });
  });

  it.each([
    ['before it ever played: buffering', fresh, {}, 'buffering'],
    ['paused by us', { pausedByUs: true, hadPlayed: true }, {}, 'paused'],
    ['paused on the TV after playing', { pausedByUs: false, hadPlayed: true }, {}, 'paused'],
    ['starved after playing: buffering', { pausedByUs: false, hadPlayed: true }, { playbackBufferEmpty: true }, 'buffering'],
    ['not likely to keep up: buffering', { pausedByUs: false, hadPlayed: true }, { playbackLikelyToKeepUp: false }, 'buffering'],
  ])('rate 0, %s', (_, ctx, extra, state) => {
    expect(readPlaybackInfo({ ...loaded, rate: 0, ...extra }, ctx)).toMatchObject({ kind: 'loaded', state, rate: 0 });
  });

  it('no duration, zero duration or not ready: nothing loaded (yet, or any more)', () => {
    expect(readPlaybackInfo({}, fresh)).toEqual({ kind: 'not-loaded' });
    expect(readPlaybackInfo({ readyToPlay: false }, fresh)).toEqual({ kind: 'not-loaded' });
    expect(readPlaybackInfo({ ...loaded, duration: 0 }, fresh)).toEqual({ kind: 'not-loaded' });
    expect(readPlaybackInfo({ ...loaded, readyToPlay: false }, fresh)).toEqual({ kind: 'not-loaded' });
    expect(readPlaybackInfo({ ...loaded, duration: 'x' }, fresh)).toEqual({ kind: 'not-loaded' });
  });

  it('an error wins', () => {
    expect(readPlaybackInfo({ readyToPlay: false, error: 'cannot open matroska' }, fresh)).toEqual({ kind: 'error', error: 'cannot open matroska' });
  });

  it('an item gone within 1.5 s of its end finished; earlier it was interrupted', () => {
    expect(endReason(82, 83.1)).toBe('finished');
    expect(endReason(83.1, 83.1)).toBe('finished');
    expect(endReason(40, 83.1)).toBe('interrupted');
    expect(endReason(40, null)).toBe('interrupted');
  });
});
