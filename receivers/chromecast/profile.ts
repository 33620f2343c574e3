// What each Google Cast model plays, keyed by the TXT `md` its mDNS record carries.
// Limits come from Google's "Supported Media for Google Cast" (developers.google.com/cast/docs/media,
// summarised in docs/protocols.md §3) unless a comment names another source. Levels follow ffprobe:
// H.264 4.1 → 41, HEVC 30×level (5.1 → 153), VP9 10×level, AV1 seq_level_idx (5.1 → 13).
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../types.js';

type Mode = NonNullable<VideoCodecSupport['modes']>[number];
const p720_60: Mode = { width: 1280, height: 720, frameRate: 60 };
const p720_30: Mode = { width: 1280, height: 720, frameRate: 30 };
const p1080_30: Mode = { width: 1920, height: 1080, frameRate: 30 };
const p1080_60: Mode = { width: 1920, height: 1080, frameRate: 60 };
const uhd30: Mode = { width: 3840, height: 2160, frameRate: 30 };
const uhd60: Mode = { width: 3840, height: 2160, frameRate: 60 };

function within(...modes: Mode[]): Pick<VideoCodecSupport, 'modes' | 'maxWidth' | 'maxHeight' | 'maxFrameRate'> {
  return {
    modes,
    maxWidth: Math.max(...modes.map((m) => m.width)),
    maxHeight: Math.max(...modes.map((m) => m.height)),
    maxFrameRate: Math.max(...modes.map((m) => m.frameRate)),
  };
}

// "H.264 High Profile": the profiles below it are subsets a High decoder plays; 8-bit only (High 10 is a separate profile).
const H264_HIGH = ['Constrained Baseline', 'Baseline', 'Main', 'High'];
const HEVC_MAIN10 = ['Main', 'Main 10'];
// "VP9 Profile-2" (10-bit) decoders also decode Profile 0 (8-bit); the page names both for Ultra.
const VP9_P0_P2 = ['Profile 0', 'Profile 2'];

// Every Cast device: FLAC ≤ 96 kHz/24-bit, HE-/LC-AAC, MP3, Opus, Vorbis, WAV (LPCM).
// AC-3/E-AC-3 are absent on purpose: Cast passes them through only when the HDMI sink says it
// decodes them (chromium chromecast/media/base/media_codec_support.cc, HdmiSinkSupportsAC3/EAC3),
// and we cannot know that sink from mDNS, not even for Ultra / Google TV. So they count as unsupported.
const AUDIO: AudioCodecSupport[] = [
  { codec: 'flac', maxSampleRate: 96_000, maxBitDepth: 24 },
  { codec: 'aac' },
  { codec: 'mp3' },
  { codec: 'opus' },
  { codec: 'vorbis' },
  // The page gives no LPCM limits; assume the FLAC ones (same audio pipeline once decoded).
  { codec: 'pcm', maxSampleRate: 96_000, maxBitDepth: 24 },
];

// The page lists MP2T, MP3, MP4, OGG, WAV, WebM. Raw FLAC and ADTS AAC are not listed, but the
// receiver is Chromium-based and Music Assistant's Cast provider streams them by default/option
// (music_assistant CONF_ENTRY_OUTPUT_CODEC: flac default, aac option), so we accept them too.
const CONTAINERS = ['mp4', 'webm', 'mpegts', 'mp3', 'ogg', 'wav', 'flac', 'adts'];
const IMAGES = ['apng', 'bmp', 'gif', 'jpeg', 'png', 'webp']; // shown at ≤ 720p
const SUBTITLES = ['webvtt', 'ttml']; // side-loaded text tracks

function video(name: string, videoCodecs: VideoCodecSupport[]): Profile {
  return { name, audioOnly: false, containers: CONTAINERS, videoCodecs, audioCodecs: AUDIO, subtitleFormats: SUBTITLES, imageFormats: IMAGES };
}

function audioOnly(name: string): Profile {
  return { name, audioOnly: true, containers: CONTAINERS, videoCodecs: [], audioCodecs: AUDIO, subtitleFormats: [], imageFormats: [] };
}

const h264 = (maxLevel: number, ...modes: Mode[]): VideoCodecSupport => ({ codec: 'h264', profiles: H264_HIGH, maxLevel, maxBitDepth: 8, ...within(...modes) });

/** Video profiles by device class. Shared objects: callers must not mutate them. */
export const castProfiles = {
  gen1: video('Chromecast (1st/2nd gen)', [
    h264(41, p720_60, p1080_30),
    { codec: 'vp8', ...within(p720_60, p1080_30) },
  ]),
  gen3: video('Chromecast (3rd gen)', [
    h264(42, p1080_60),
    { codec: 'vp8', ...within(p720_60, p1080_30) },
  ]),
  ultra: video('Chromecast Ultra', [
    h264(42, p1080_60),
    { codec: 'vp8', ...within(uhd30) },
    { codec: 'hevc', profiles: HEVC_MAIN10, maxLevel: 153, maxBitDepth: 10, hdr: ['hdr10', 'dolby-vision'], ...within(uhd60) },
    { codec: 'vp9', profiles: VP9_P0_P2, maxLevel: 51, maxBitDepth: 10, hdr: ['hdr10', 'dolby-vision'], ...within(uhd60) },
  ]),
  // H.264 High ≤ 5.1 at 4K30 (so 1080p60 too), HEVC Main/Main10 ≤ 5.1 4K60, VP9 Profile 2 4K60.
  // HDR formats are not on the Cast page: Google's product spec lists Dolby Vision, HDR10(+), HLG.
  googleTv4k: video('Chromecast with Google TV (4K)', [
    h264(51, uhd30, p1080_60),
    { codec: 'hevc', profiles: HEVC_MAIN10, maxLevel: 153, maxBitDepth: 10, hdr: ['hdr10', 'hlg', 'dolby-vision'], ...within(uhd60) },
    { codec: 'vp9', profiles: VP9_P0_P2, maxBitDepth: 10, hdr: ['hdr10', 'hlg'], ...within(uhd60) },
  ]),
  // md "Chromecast HD": a 1080p device. HEVC ≤ 4.1 per its MediaCodec report (jellyfin/jellyfin-androidtv#3281);
  // HDR10/HLG without Dolby Vision per Google's product spec. Its AV1 decoder is unconfirmed: left out.
  googleTvHd: video('Chromecast with Google TV (HD)', [
    h264(51, p1080_60),
    { codec: 'hevc', profiles: HEVC_MAIN10, maxLevel: 123, maxBitDepth: 10, hdr: ['hdr10', 'hlg'], ...within(p1080_60) },
    { codec: 'vp9', profiles: VP9_P0_P2, maxBitDepth: 10, hdr: ['hdr10', 'hlg'], ...within(p1080_60) },
  ]),
  streamer: video('Google TV Streamer', [
    h264(52, uhd60),
    { codec: 'hevc', profiles: HEVC_MAIN10, maxLevel: 153, maxBitDepth: 10, hdr: ['hdr10', 'hlg', 'dolby-vision'], ...within(uhd60) },
    { codec: 'vp9', profiles: VP9_P0_P2, maxBitDepth: 10, hdr: ['hdr10', 'hlg'], ...within(uhd60) },
    { codec: 'av1', profiles: ['Main'], maxLevel: 13, maxBitDepth: 10, hdr: ['hdr10', 'hlg'], ...within(uhd60) },
  ]),
  // 1024×600 screen; decoders as the page says: H.264 High ≤ 4.1 and VP9 ≤ 4.0 at 720p60 (Max: 720p30).
  nestHub: video('Google Nest Hub', [h264(41, p720_60), { codec: 'vp9', profiles: ['Profile 0'], maxLevel: 40, maxBitDepth: 8, ...within(p720_60) }]),
  nestHubMax: video('Google Nest Hub Max', [h264(41, p720_30), { codec: 'vp9', profiles: ['Profile 0'], maxLevel: 40, maxBitDepth: 8, ...within(p720_30) }]),
} satisfies Record<string, Profile>;

const audioProfiles = new Map<string, Profile>();
function speaker(name: string): Profile {
  let p = audioProfiles.get(name);
  if (!p) audioProfiles.set(name, (p = audioOnly(name)));
  return p;
}

// First match wins, so order matters: hubs before "google home", "chromecast audio" before
// "chromecast", "hub max" before "hub", "HD" before the 4K Google TV.
// Audio-only models: the page names Chromecast Audio, Google Home and Home Mini; pychromecast's
// CAST_TYPES (const.py) adds the other speakers and groups as cast type "audio"/"group".
// Real video `md` values: "Chromecast" is 2nd gen, 3rd gen AND Google TV 4K alike
// (react-native-google-cast/react-native-google-cast#503), so it gets the safest of them;
// "Chromecast HD" is Google TV HD (home-assistant/core#83473); 1st gen may say "Eureka Dongle".
const models: [RegExp, () => Profile][] = [
  [/nest hub max|home hub max/, () => castProfiles.nestHubMax],
  [/nest hub|home hub/, () => castProfiles.nestHub],
  [/cast group/, () => speaker('Google Cast Group')],
  [/chromecast audio/, () => speaker('Chromecast Audio')],
  [/google home mini/, () => speaker('Google Home Mini')],
  [/google home max/, () => speaker('Google Home Max')],
  [/nest mini/, () => speaker('Google Nest Mini')],
  [/nest audio/, () => speaker('Nest Audio')],
  [/nest wifi/, () => speaker('Nest Wifi point')],
  [/google home/, () => speaker('Google Home')],
  [/google tv streamer/, () => castProfiles.streamer],
  [/chromecast ultra/, () => castProfiles.ultra],
  [/chromecast hd|google tv hd|google tv \(hd\)/, () => castProfiles.googleTvHd],
  [/google tv|chromecast 4k/, () => castProfiles.googleTv4k],
  [/chromecast \(?(3rd|third) gen|chromecast 3\b/, () => castProfiles.gen3],
  [/^chromecast\b|eureka dongle/, () => castProfiles.gen1],
];

/** Lower case, single spaces, so "Google-Nest-Hub", " google  nest hub " and "Google Nest Hub" all match. */
function normalise(model: string): string {
  return model.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

/**
 * The profile of a Cast device from its TXT `md`. Unknown models get the most conservative video
 * profile (1st/2nd gen), or an audio-only one when the caller knows it is a speaker (`ca` without video out).
 */
export function profileForModel(model: string | null | undefined, opts: { audioOnlyHint?: boolean } = {}): Profile {
  const m = normalise(model ?? '');
  const known = m ? models.find(([re]) => re.test(m)) : undefined;
  if (known) return known[1]();
  const label = model?.trim() || 'Cast device';
  // Not cached: the names come from the network and may be anything.
  if (opts.audioOnlyHint) return audioOnly(label);
  return { ...castProfiles.gen1, name: `${label} (as Chromecast 1st/2nd gen)` };
}
