// transcodeTargetFrom: every limit a playback decision sets reaches the signed URL and comes back
// out of planFromQuery, plus tone mapping when an HDR source is re-encoded.
import { describe, expect, it } from 'vitest';
import { castProfiles } from '../../../receivers/chromecast/profile.js';
import type { Profile } from '../../../receivers/types.js';
import { createSigner } from '../../../server/media/signing.js';
import { transcodeTargetFrom } from '../../../server/media/target.js';
import { planFromQuery } from '../../../server/media/transcode-params.js';
import { decide, type DecisionTarget } from '../../../server/playback/decide.js';
import type { MediaInfo, MediaVideo } from '../../../server/playback/media-info.js';

const signer = createSigner({ secret: Buffer.alloc(32, 7), ttlSeconds: 3600, now: () => 0 });
const query = (url: string) => new URL(url, 'http://x').searchParams;

describe('transcodeTargetFrom', () => {
  it('no target (direct play, unplayable) → undefined', () => {
    expect(transcodeTargetFrom({})).toBeUndefined();
    expect(transcodeTargetFrom({}, { hdr: 'hdr10' })).toBeUndefined();
  });

  it.each<[string, DecisionTarget, string | null | undefined, object]>([
    ['audio limits', { container: 'flac', audioCodec: 'flac', sampleRate: 48_000, bitDepth: 16, channels: 2 }, undefined,
      { container: 'flac', audioCodec: 'flac', sampleRate: 48_000, bitDepth: 16, channels: 2 }],
    ['a device depth of 20 bits → 16', { container: 'flac', audioCodec: 'flac', bitDepth: 20 }, undefined, { container: 'flac', audioCodec: 'flac', bitDepth: 16 }],
    ['24 stays 24', { container: 'flac', audioCodec: 'flac', bitDepth: 24 }, null, { container: 'flac', audioCodec: 'flac', bitDepth: 24 }],
    ['video bounds and bitrate', { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', bitrate: 5e6, maxWidth: 1920, maxHeight: 1080, maxFrameRate: 30 }, null,
      { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', bitrate: 5e6, maxWidth: 1920, maxHeight: 1080, maxFrameRate: 30 }],
    ['HDR10 re-encoded to H.264 → tone mapped', { container: 'mp4', videoCodec: 'h264', audioCodec: 'copy' }, 'hdr10',
      { container: 'mp4', videoCodec: 'h264', audioCodec: 'copy', toneMap: true }],
    ['HLG re-encoded (8-bit output) → tone mapped', { container: 'mpegts', videoCodec: 'h264' }, 'hlg', { container: 'mpegts', videoCodec: 'h264', toneMap: true }],
    ['SDR re-encoded → not tone mapped', { container: 'mp4', videoCodec: 'h264' }, null, { container: 'mp4', videoCodec: 'h264' }],
    ['HDR copied → keeps its HDR', { container: 'mp4', videoCodec: 'copy', audioCodec: 'aac' }, 'hdr10', { container: 'mp4', videoCodec: 'copy', audioCodec: 'aac' }],
    ['HDR video on a speaker → no picture', { container: 'adts', audioCodec: 'aac' }, 'dolby-vision', { container: 'adts', audioCodec: 'aac' }],
  ])('%s', (_name, target, hdr, expected) => {
    const t = transcodeTargetFrom({ target }, hdr === undefined ? undefined : { hdr });
    expect(t).toEqual(expected);
    // The signed URL carries all of it and the media route accepts it.
    expect(planFromQuery(query(signer.streamUrl(1, t)), target.videoCodec !== undefined).ok).toBe(true);
  });
});

describe('from a real decision to a plan', () => {
  const hdr4k: MediaVideo = { codec: 'hevc', profile: 'Main 10', level: 153, width: 3840, height: 2160, frameRate: 59.94, bitDepth: 10, hdr: 'hdr10' };
  const movie: MediaInfo = { container: 'matroska', video: hdr4k, audio: { codec: 'eac3', channels: 6, sampleRate: 48_000, bitDepth: null, lossless: false }, bitrate: 40e6, subtitles: [] };
  const hiRes: MediaInfo = { container: 'flac', audio: { codec: 'flac', channels: 6, sampleRate: 192_000, bitDepth: 24, lossless: true }, bitrate: null, subtitles: [] };
  const speaker: Profile = { ...castProfiles.gen1, name: 'Small speaker', audioOnly: true, videoCodecs: [], audioCodecs: [{ codec: 'flac', maxSampleRate: 48_000, maxBitDepth: 16 }] };

  it('4K60 HDR10 HEVC on a 1st/2nd gen Chromecast: H.264 within its modes, tone mapped, stereo', () => {
    const d = decide(movie, castProfiles.gen1);
    const t = transcodeTargetFrom(d, { hdr: hdr4k.hdr });
    const url = signer.streamUrl(7, t);
    expect(url).toMatch(/^\/media\/7\?c=mp4&vc=h264&ac=aac&ch=2&mw=1280&mh=720&fps=60&tm=1&exp=\d+&sig=/);
    expect(planFromQuery(query(url), true)).toEqual({
      ok: true,
      plan: { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', channels: 2, maxWidth: 1280, maxHeight: 720, maxFrameRate: 60, toneMap: true },
    });
  });

  it('192/24 six-channel FLAC on a 48/16 stereo speaker', () => {
    const t = transcodeTargetFrom(decide(hiRes, speaker));
    expect(planFromQuery(query(signer.streamUrl(8, t)), false)).toEqual({
      ok: true,
      plan: { container: 'flac', audioCodec: 'flac', sampleRate: 48_000, bitDepth: 16, channels: 2 },
    });
  });
});
