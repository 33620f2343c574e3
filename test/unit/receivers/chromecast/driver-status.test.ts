// The Cast driver's pure parts: MEDIA_STATUS / RECEIVER_STATUS → ReceiverStatus, and the LOAD it sends.
import { describe, expect, it } from 'vitest';
import { castMetadata, loadMessage, loadOutcome } from '../../../../receivers/chromecast/driver/media.js';
import { applyMediaStatus, applyReceiverStatus, changed, goneStatus, initialStatus, mediaLost, positionAt, type Tracked } from '../../../../receivers/chromecast/driver/status.js';
import type { LoadRequest, ReceiverStatus } from '../../../../receivers/types.js';

const T0 = 1_700_000_000_000;
const vol = { level: 0.5, muted: false };
const idle: Tracked = { status: { ...initialStatus(T0), volume: vol }, mediaSessionId: null };
const playing = (id: number, position: number, duration: number | null = 30): Tracked => ({
  status: { state: 'playing', position, at: T0, rate: 1, duration, volume: vol }, mediaSessionId: id,
});
const entry = (over: Record<string, unknown>) => ({ mediaSessionId: 1, playbackRate: 1, playerState: 'PLAYING', currentTime: 0, volume: { level: 1, muted: false }, ...over });

describe('applyMediaStatus: one MEDIA_STATUS list → status', () => {
  const now = T0 + 2000;
  const rows: [string, Tracked, unknown[], Partial<ReceiverStatus> & { mediaSessionId?: number | null }][] = [
    ['PLAYING with media: position, at, rate 1, duration', idle, [entry({ currentTime: 1.25, media: { duration: 30 } })], { state: 'playing', position: 1.25, at: now, rate: 1, duration: 30, mediaSessionId: 1 }],
    ['PAUSED: rate 0', playing(1, 0), [entry({ playerState: 'PAUSED', currentTime: 2.5 })], { state: 'paused', position: 2.5, rate: 0, duration: 30 }],
    ['BUFFERING', idle, [entry({ playerState: 'BUFFERING', currentTime: 0 })], { state: 'buffering', rate: 0 }],
    ['LOADING (CAF)', idle, [entry({ playerState: 'LOADING' })], { state: 'loading' }],
    ['no media on the same session keeps the duration', playing(1, 0, 12), [entry({ currentTime: 3 })], { duration: 12 }],
    ['no media on a new session: duration unknown', playing(1, 0, 12), [entry({ mediaSessionId: 2, currentTime: 3 })], { duration: null, mediaSessionId: 2 }],
    ['live (duration null, or -1) → null', idle, [entry({ media: { duration: -1 } })], { duration: null }],
    ['FINISHED → finished', playing(1, 29), [entry({ playerState: 'IDLE', idleReason: 'FINISHED', currentTime: 30 })], { state: 'idle', idleReason: 'finished', rate: 0, position: 30 }],
    ['CANCELLED → stopped', playing(1, 5), [entry({ playerState: 'IDLE', idleReason: 'CANCELLED', currentTime: 5 })], { state: 'idle', idleReason: 'stopped' }],
    ['INTERRUPTED → interrupted', playing(1, 5), [entry({ playerState: 'IDLE', idleReason: 'INTERRUPTED' })], { state: 'idle', idleReason: 'interrupted' }],
    ['ERROR → error, with a text', playing(1, 5), [entry({ playerState: 'IDLE', idleReason: 'ERROR' })], { state: 'idle', idleReason: 'error', error: 'the device reported a playback error' }],
    ['a stream volume in MEDIA_STATUS does not touch the device volume', idle, [entry({ volume: { level: 0.1, muted: true } })], { volume: vol }],
    ['an older session is ignored', playing(3, 4), [entry({ mediaSessionId: 2, playerState: 'IDLE', idleReason: 'INTERRUPTED' })], { state: 'playing', mediaSessionId: 3, at: T0 }],
    ['the tracked session wins among several', playing(3, 4), [entry({ mediaSessionId: 4, playerState: 'BUFFERING' }), entry({ mediaSessionId: 3, playerState: 'PAUSED', currentTime: 4.5 })], { state: 'paused', mediaSessionId: 3 }],
    ['an unknown playerState is ignored', playing(1, 4), [entry({ playerState: 'WARPING' })], { state: 'playing', at: T0 }],
    ['[] while playing, far from the end: interrupted, position interpolated', playing(1, 4), [], { state: 'idle', idleReason: 'interrupted', position: 6, rate: 0, mediaSessionId: null }],
    ['[] while playing, near the end: finished', playing(1, 28.5), [], { state: 'idle', idleReason: 'finished', position: 30 }],
    ['[] while idle: nothing changes', idle, [], { state: 'idle', at: T0, mediaSessionId: null }],
  ];
  it.each(rows)('%s', (_name, prev, list, want) => {
    const next = applyMediaStatus(prev, list, now);
    const { mediaSessionId, ...status } = want;
    expect(next.status).toMatchObject(status);
    if (mediaSessionId !== undefined) expect(next.mediaSessionId).toBe(mediaSessionId);
  });

  it('drops the session a LOAD in flight replaces, takes the new one', () => {
    const old = playing(7, 10);
    expect(applyMediaStatus(old, [entry({ mediaSessionId: 7, playerState: 'IDLE', idleReason: 'INTERRUPTED' })], now, { superseded: 7 })).toBe(old);
    expect(applyMediaStatus(old, [entry({ mediaSessionId: 8, playerState: 'BUFFERING' })], now, { superseded: 7 })).toMatchObject({ mediaSessionId: 8, status: { state: 'buffering' } });
  });

  it('fresh (after a reconnect) accepts a lower id: the device restarted its count', () => {
    expect(applyMediaStatus(playing(9, 1), [entry({ mediaSessionId: 1, currentTime: 2 })], now, { fresh: true })).toMatchObject({ mediaSessionId: 1, status: { position: 2 } });
  });

  it('keeps a refusal text already set for the same session', () => {
    const refused: Tracked = { status: { ...idle.status, state: 'idle', idleReason: 'error', error: 'Test TV refused the media (LOAD_FAILED)' }, mediaSessionId: 2 };
    expect(applyMediaStatus(refused, [entry({ mediaSessionId: 2, playerState: 'IDLE', idleReason: 'ERROR' })], now).status.error).toBe('Test TV refused the media (LOAD_FAILED)');
  });

  it('ignores malformed input', () => {
    expect(applyMediaStatus(idle, undefined, now)).toBe(idle);
    expect(applyMediaStatus(idle, [null, { playerState: 'PLAYING' }], now)).toBe(idle);
  });
});

describe('receiver status, interpolation, loss, change detection', () => {
  it('RECEIVER_STATUS carries the device volume; a partial one keeps the rest', () => {
    const s = idle.status;
    expect(applyReceiverStatus(s, { volume: { level: 0.3, muted: false } }).volume).toEqual({ level: 0.3, muted: false });
    expect(applyReceiverStatus(s, { volume: { muted: true } }).volume).toEqual({ level: 0.5, muted: true });
    expect(applyReceiverStatus(s, { applications: [] })).toBe(s);
    expect(applyReceiverStatus(s, { volume: { ...vol } })).toBe(s);
  });

  it('positionAt interpolates at the rate and stops at the duration', () => {
    expect(positionAt(playing(1, 4).status, T0 + 1500)).toBeCloseTo(5.5);
    expect(positionAt(playing(1, 29).status, T0 + 5000)).toBe(30);
    expect(positionAt({ ...playing(1, 4).status, rate: 0 }, T0 + 5000)).toBe(4);
  });

  it('mediaLost and goneStatus freeze the position where it had got to', () => {
    expect(mediaLost(idle.status, T0)).toBe(idle.status);
    expect(goneStatus(playing(1, 4).status, T0 + 1000, 'unplugged')).toMatchObject({ state: 'idle', idleReason: 'gone', error: 'unplugged', position: 5, rate: 0, at: T0 + 1000 });
  });

  it('a position report that interpolation predicted is no change; anything else is', () => {
    const a = playing(1, 4).status;
    expect(changed(a, { ...a, position: 5.1, at: T0 + 1000 })).toBe(false);
    expect(changed(a, { ...a, position: 8, at: T0 + 1000 })).toBe(true);
    expect(changed(a, { ...a, volume: { level: 0.5, muted: true } })).toBe(true);
    expect(changed(a, { ...a, state: 'paused', rate: 0 })).toBe(true);
  });
});

describe('the LOAD message', () => {
  const base: LoadRequest = {
    url: 'http://127.0.0.1:1/a.mp3', contentType: 'audio/mpeg', duration: 180, startAt: 12, live: false,
    metadata: { kind: 'audio', title: 'Song', artist: 'Band', album: 'Record', albumArtist: 'Band', trackNo: 3, artUrl: 'http://127.0.0.1:1/art.jpg' },
  };

  it('music: MusicTrackMediaMetadata, BUFFERED, start position, autoplay', () => {
    expect(loadMessage(base)).toEqual({
      type: 'LOAD', autoplay: true, currentTime: 12, activeTrackIds: [], repeatMode: 'REPEAT_OFF',
      media: {
        contentId: base.url, contentType: 'audio/mpeg', streamType: 'BUFFERED', duration: 180,
        metadata: { metadataType: 3, title: 'Song', artist: 'Band', albumName: 'Record', albumArtist: 'Band', trackNumber: 3, images: [{ url: 'http://127.0.0.1:1/art.jpg' }] },
      },
    });
  });

  it('a live transcode with a known duration stays BUFFERED; LIVE only without one', () => {
    expect((loadMessage({ ...base, live: true }).media as { streamType: string }).streamType).toBe('BUFFERED');
    const live = loadMessage({ ...base, live: true, duration: null }).media as Record<string, unknown>;
    expect(live.streamType).toBe('LIVE');
    expect(live).not.toHaveProperty('duration');
  });

  it('video with subtitles: Movie metadata, TEXT tracks, none active unless the request names one', () => {
    const req = {
      ...base, contentType: 'video/mp4', metadata: { kind: 'video' as const, title: 'Film' },
      subtitles: [{ url: 'http://h/en.vtt', language: 'en', name: 'English', contentType: 'text/vtt' }, { url: 'http://h/x.vtt', language: null, name: 'Other', contentType: 'text/vtt' }],
    };
    const msg = loadMessage(req);
    expect(msg.activeTrackIds).toEqual([]);
    expect(loadMessage({ ...req, activeSubtitle: 1 }).activeTrackIds).toEqual([2]);
    expect(loadMessage({ ...req, activeSubtitle: 2 }).activeTrackIds).toEqual([]);
    expect(msg.media).toMatchObject({
      metadata: { metadataType: 1, title: 'Film' },
      tracks: [
        { trackId: 1, type: 'TEXT', subtype: 'SUBTITLES', trackContentId: 'http://h/en.vtt', trackContentType: 'text/vtt', language: 'en', name: 'English' },
        { trackId: 2, type: 'TEXT', subtype: 'SUBTITLES', trackContentId: 'http://h/x.vtt', trackContentType: 'text/vtt', name: 'Other' },
      ],
    });
    expect((msg.media as { tracks: object[] }).tracks[1]).not.toHaveProperty('language');
  });

  it('metadata types: photo 4, bare audio generic 0', () => {
    expect(castMetadata({ kind: 'photo', title: 'Beach' })).toEqual({ metadataType: 4, title: 'Beach' });
    expect(castMetadata({ kind: 'audio', title: 'take1.wav' })).toEqual({ metadataType: 0, title: 'take1.wav' });
  });

  it('LOAD replies: status, or a refusal naming the device', () => {
    expect(loadOutcome({ type: 'MEDIA_STATUS', status: [] }, 'Test TV')).toEqual({ ok: true, status: [] });
    expect(loadOutcome({ type: 'LOAD_FAILED' }, 'Test TV')).toEqual({ ok: false, error: 'Test TV refused the media (LOAD_FAILED)' });
    expect(loadOutcome({ type: 'LOAD_FAILED', detailedErrorCode: 104, customData: { reason: 'hevc video is not supported' } }, 'Test TV'))
      .toEqual({ ok: false, error: 'Test TV refused the media (LOAD_FAILED: hevc video is not supported)' });
    expect(loadOutcome({ type: 'LOAD_FAILED', detailedErrorCode: 104 }, 'Test TV')).toMatchObject({ error: 'Test TV refused the media (LOAD_FAILED: code 104)' });
    expect(loadOutcome({ type: 'INVALID_REQUEST', reason: 'INVALID_PARAMS' }, 'Test TV')).toMatchObject({ ok: false, error: expect.stringMatching(/INVALID_PARAMS/) });
  });
});
