// A video's audio language: which stream starts, how it is named, and that a choice other than the
// first reaches ffmpeg as `-map 0:a:N` through the decision, the signed URL and the plan.
import { describe, expect, it } from 'vitest';
import { profileForModel } from '../../../receivers/chromecast/profile.js';
import type { VideoStream } from '../../../server/library/probe-types.js';
import { createSigner } from '../../../server/media/signing.js';
import { transcodeTargetFrom } from '../../../server/media/target.js';
import { buildTranscodeArgs } from '../../../server/media/transcode-args.js';
import { planFromQuery } from '../../../server/media/transcode-params.js';
import { audioTrackNamed, audioTracks, baseLanguage, chosenAudio, defaultAudio } from '../../../server/playback/audio-tracks.js';
import { decide } from '../../../server/playback/decide.js';
import { mediaInfoFromVideo } from '../../../server/playback/media-info.js';

const pic: VideoStream = { index: 0, type: 'video', codec: 'h264', profile: 'High', level: 40, width: 1920, height: 1080, frameRate: 24, pixFmt: 'yuv420p', bitDepth: 8, hdr: null };
const eng: VideoStream = { index: 1, type: 'audio', codec: 'aac', channels: 2, sampleRate: 48_000, language: 'eng', default: false };
const fra: VideoStream = { index: 2, type: 'audio', codec: 'ac3', channels: 6, sampleRate: 48_000, language: 'fra', title: 'VF', default: true };
const streams = [pic, eng, fra];
const row = { container: 'mp4', bitrate: 8_000_000, videoCodec: 'h264', streams, subtitles: [] };
const tv = profileForModel('Chromecast');

describe('audio tracks', () => {
  it('names each stream and starts with the one flagged default, else the first', () => {
    expect(audioTracks([eng, fra]).map((t) => t.label)).toEqual(['English · Stereo', 'French · VF · 5.1']);
    expect(defaultAudio([eng, fra])).toBe(1);
    expect(defaultAudio([eng, { ...fra, default: false }])).toBe(0);
    expect(chosenAudio({ itemId: 7, index: 0 }, { id: 7, audio: [eng, fra] })).toBe(0);
    expect(chosenAudio({ itemId: 8, index: 0 }, { id: 7, audio: [eng, fra] })).toBe(1); // another item's choice
  });

  it('the first stream plays the file as is; the second goes re-wrapped with that stream mapped', () => {
    expect(decide(mediaInfoFromVideo(row, 0), tv, 0)).toEqual({ kind: 'direct', reasons: [] });
    const d = decide(mediaInfoFromVideo(row, 1), tv, 1);
    // AC-3 5.1 is not what a Chromecast decodes: the picture is copied, the French audio re-encoded.
    expect(d).toMatchObject({ kind: 'audio-transcode', target: { container: 'mp4', videoCodec: 'copy', audioCodec: 'aac', channels: 2, audioStream: 1 } });
    expect(d.reasons[0]).toBe('audio track 2 chosen: the file plays its first as is');

    const signer = createSigner({ secret: Buffer.alloc(32, 1), ttlSeconds: 3600 });
    const url = new URL(signer.streamUrl(5, transcodeTargetFrom(d), 12), 'http://x');
    expect(url.searchParams.get('as')).toBe('1');
    const parsed = planFromQuery(url.searchParams, true);
    expect(parsed.ok && parsed.plan?.audioStream).toBe(1);
    const args = parsed.ok && parsed.plan ? buildTranscodeArgs(parsed.plan).output : [];
    expect(args.slice(0, 4)).toEqual(['-map', '0:v:0?', '-map', '0:a:1?']);
  });

  it('a URL asking for a stream refuses what is out of range', () => {
    expect(planFromQuery(new URLSearchParams('c=mp4&as=64'), true)).toMatchObject({ ok: false, param: 'as' });
    expect(planFromQuery(new URLSearchParams('as=1'), true)).toMatchObject({ ok: false, param: 'c' });
  });

  it('starts in the first preferred language the file has (any form of its code), else its default; a choice wins', () => {
    const ger: VideoStream = { ...eng, index: 3, language: 'ger' };
    const fra2: VideoStream = { ...fra, index: 4, title: 'Commentary', default: false };
    expect(['fra', 'fre', 'fr', 'fr-CA', 'FR'].map(baseLanguage)).toEqual(['fr', 'fr', 'fr', 'fr', 'fr']);
    expect([null, '', 'und', 'zxx', 'not a tag'].map(baseLanguage)).toEqual([null, null, null, null, null]);
    const audio = [eng, { ...fra, default: false }, ger];
    expect(defaultAudio(audio, ['de-AT', 'en'])).toBe(2);
    expect(defaultAudio(audio, ['pt-BR', 'fr-FR', 'en'])).toBe(1);
    expect(defaultAudio(audio, ['pt', 'und'])).toBe(0); // none of them: the file's own (here the first)
    expect(defaultAudio([eng, fra], ['it'])).toBe(1); // none: the one flagged default
    // Two in that language: the one flagged default among them, else the first of them.
    expect(defaultAudio([eng, fra2, fra], ['fr'])).toBe(2);
    expect(defaultAudio([eng, fra2, { ...fra, default: false }], ['fr'])).toBe(1);
    expect(chosenAudio({ itemId: 7, index: 0 }, { id: 7, audio: [eng, fra] }, ['fr'])).toBe(0);
    expect(chosenAudio(undefined, { id: 7, audio: [{ ...fra, default: false }, eng] }, ['en-GB'])).toBe(1);
  });

  it('finds the track a person names: its number, its language in any form, or the start of its label', () => {
    const tracks = audioTracks([eng, fra]);
    expect(['1', '2', 'fra', 'fr', 'FRE', 'French', 'french · vf', 'en', 'English'].map((s) => audioTrackNamed(tracks, s)?.index)).toEqual([0, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(['0', '3', 'de', 'German', ' '].map((s) => audioTrackNamed(tracks, s)?.index)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
