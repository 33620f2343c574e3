// "This device": what the browser showing the remote says it plays (canPlayType and
// MediaSource.isTypeSupported, asked in the page: ui/src/data/browser-support.ts), as a Profile the
// same decision code (server/playback/decide.ts) reads. What a browser plays varies (Chromium on
// Linux has no HEVC; Safari has no Ogg before 17), so nothing here is assumed: only what it said.
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../types.js';
import type { BrowserSupport } from './support.js';

export type { BrowserSupport };

/** The browser's profile; `name` is how reasons call it ("This device"). */
export function browserProfile(s: BrowserSupport, name = 'This device'): Profile {
  const videoCodecs: VideoCodecSupport[] = s.video.map((v) => ({ codec: v.codec, ...(v.maxLevel !== undefined ? { maxLevel: v.maxLevel } : {}) }));
  // WAV is PCM: a browser that plays one plays the other.
  const audioCodecs: AudioCodecSupport[] = s.audio.map((codec) => ({ codec }));
  return {
    name,
    audioOnly: false,
    containers: [...s.containers],
    videoCodecs,
    audioCodecs,
    subtitleFormats: ['webvtt'],
    imageFormats: ['jpeg', 'png', 'gif', 'webp'],
  };
}
