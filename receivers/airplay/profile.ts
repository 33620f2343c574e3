// What an AirPlay receiver plays, as the transcode decision sees it.
// Speakers (RAOP): the speaker itself takes only 44.1 kHz/16-bit stereo PCM (as ALAC), but the
// driver decodes the item with ffmpeg and sends that: so every audio container and codec is
// "supported" with no limits, and the decision comes out 'direct' for any audio. Video: only its audio.
// Apple TVs (AirPlay 1 video, `/play` of a URL played by the TV's own AVPlayer): per model, from
// Apple's technical specifications (support.apple.com: Apple TV 2nd gen SP598, 3rd gen SP648,
// Apple TV HD / 4K "Tech Specs" pages), levels in ffprobe's numbers (H.264 4.0 → 40, HEVC 5.1 → 153).
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../types.js';
import { decodedAudioProfile } from '../shared/decoded-audio-profile.js';

function speaker(model: string | undefined): Profile {
  return decodedAudioProfile(model ? `AirPlay speaker (${model})` : 'AirPlay speaker');
}

type Mode = { width: number; height: number; frameRate: number };
const p720_30: Mode = { width: 1280, height: 720, frameRate: 30 };
const p1080_30: Mode = { width: 1920, height: 1080, frameRate: 30 };
const p1080_60: Mode = { width: 1920, height: 1080, frameRate: 60 };
const uhd60: Mode = { width: 3840, height: 2160, frameRate: 60 };

const within = (m: Mode): Pick<VideoCodecSupport, 'modes' | 'maxWidth' | 'maxHeight' | 'maxFrameRate'> => ({ modes: [m], maxWidth: m.width, maxHeight: m.height, maxFrameRate: m.frameRate });
// "High or Main Profile … Baseline profile": a High decoder plays the profiles below it; 8-bit.
const H264_HIGH = ['Constrained Baseline', 'Baseline', 'Main', 'High'];
const h264 = (profiles: string[], maxLevel: number, m: Mode): VideoCodecSupport => ({ codec: 'h264', profiles, maxLevel, maxBitDepth: 8, ...within(m) });

// Every Apple TV: AAC (HE-AAC v1, LC), MP3, Apple Lossless, AIFF/WAV (PCM), Dolby Digital 5.1 (AC-3,
// pass-through on the older ones). Files in .m4v/.mp4/.mov; HLS with MPEG-TS segments (every
// generation; fMP4 segments need tvOS 10, so not the 2nd/3rd gen), which is how a transcode reaches them.
const AUDIO: AudioCodecSupport[] = [{ codec: 'aac' }, { codec: 'mp3' }, { codec: 'alac' }, { codec: 'pcm', maxBitDepth: 24 }, { codec: 'ac3', maxChannels: 6 }];
// Apple TV HD and 4K add Dolby Digital Plus 7.1; the 4K spec sheet also lists FLAC (tvOS 11).
const AUDIO_HD: AudioCodecSupport[] = [...AUDIO, { codec: 'eac3', maxChannels: 8 }];
const AUDIO_4K: AudioCodecSupport[] = [...AUDIO_HD, { codec: 'flac' }];
const TV_CONTAINERS = ['mp4', 'mov', 'mpegts', 'hls', 'mp3', 'adts', 'wav', 'aiff'];
const IMAGES = ['jpeg']; // `/photo` takes JPEG; the driver converts other images first

function tv(name: string, videoCodecs: VideoCodecSupport[], audioCodecs: AudioCodecSupport[]): Profile {
  return { name, audioOnly: false, containers: TV_CONTAINERS, videoCodecs, audioCodecs, subtitleFormats: [], imageFormats: IMAGES };
}

/** Apple TV profiles by generation. Shared objects: callers must not mutate them. */
export const appleTvProfiles = {
  // SP598: "H.264 video up to 720p, 30 frames per second, Main Profile level 3.1".
  gen2: tv('Apple TV (2nd gen)', [h264(['Constrained Baseline', 'Baseline', 'Main'], 31, p720_30)], AUDIO),
  // SP648 (AppleTV3,1 and the 2013 AppleTV3,2): "H.264 video up to 1080p, 30 frames per second, High or Main Profile level 4.0 or lower".
  gen3: tv('Apple TV (3rd gen)', [h264(H264_HIGH, 40, p1080_30)], AUDIO),
  // Apple TV HD (AppleTV5,3): "H.264 video up to 1080p, 60 frames per second, High or Main Profile level 4.2 or lower".
  hd: tv('Apple TV HD', [h264(H264_HIGH, 42, p1080_60)], AUDIO_HD),
  // Apple TV 4K (AppleTV6,2; 2nd gen AppleTV11,1; 3rd gen AppleTV14,1): "HEVC (H.265) SDR / HDR10 /
  // Dolby Vision up to 2160p, 60 fps, Main/Main 10 profile; H.264 up to 2160p60, High profile". HLG from
  // tvOS 14 (all three); 2160p60 needs HEVC level 5.1 and H.264 level 5.2.
  uhd: tv('Apple TV 4K', [
    { codec: 'hevc', profiles: ['Main', 'Main 10'], maxLevel: 153, maxBitDepth: 10, hdr: ['hdr10', 'hlg', 'dolby-vision'], ...within(uhd60) },
    h264(H264_HIGH, 52, uhd60),
  ], AUDIO_4K),
} satisfies Record<string, Profile>;

/** The generation of an `AppleTV<major>,<minor>` model id; unknown newer ones count as 4K. */
function appleTv(model: string): Profile | undefined {
  const m = /^appletv(\d+),(\d+)$/i.exec(model);
  if (!m) return /^appletv/i.test(model) ? appleTvProfiles.gen3 : undefined;
  const major = Number(m[1]);
  if (major <= 2) return appleTvProfiles.gen2;
  if (major <= 3) return appleTvProfiles.gen3;
  if (major === 5) return appleTvProfiles.hd;
  return major >= 6 ? appleTvProfiles.uhd : appleTvProfiles.gen3;
}

/**
 * Apple TVs (model `AppleTV…`, from TXT `model`/`am`) get their generation's video profile unless
 * the caller knows the receiver is audio-only; every other AirPlay device is a speaker.
 */
export function profileForModel(model: string | null | undefined, opts: { audioOnlyHint?: boolean } = {}): Profile {
  const m = model?.trim();
  const t = m && !opts.audioOnlyHint ? appleTv(m) : undefined;
  return t ?? speaker(m || undefined);
}
