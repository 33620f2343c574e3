// Would the device we pretend to be play this stream? Checks a probe against the model's Profile
// the way the device's pipeline fails: container first, then the video decoder, then audio.
// Returns the reason for refusing, or null. Streaming manifests (HLS, DASH) are played by every
// Cast device, so only their codecs are checked.
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../../types.js';
import type { Probe } from './probe.js';

const MANIFESTS = new Set(['hls', 'dash']);

/** ffprobe codec_name → the Profile's audio codec names. */
function audioCodec(name: string): AudioCodecSupport['codec'] | null {
  if (name.startsWith('pcm_')) return 'pcm';
  const known: AudioCodecSupport['codec'][] = ['aac', 'mp3', 'flac', 'opus', 'vorbis', 'alac', 'ac3', 'eac3'];
  return known.find((c) => c === name) ?? null;
}

function checkVideo(profile: Profile, p: Probe): string | null {
  const v = p.video!;
  const support = profile.videoCodecs.find((c) => c.codec === (v.codec as VideoCodecSupport['codec']));
  if (!support) return `${profile.name} cannot decode ${v.codec} video`;
  if (support.profiles && v.profile && !support.profiles.includes(v.profile)) return `${profile.name} cannot decode ${v.codec} profile ${v.profile}`;
  if (support.maxLevel !== undefined && v.level !== null && v.level > support.maxLevel) return `${v.codec} level ${v.level} is above ${profile.name}'s ${support.maxLevel}`;
  // A portrait video fits when its long side fits the long limit.
  const [long, short] = v.width >= v.height ? [v.width, v.height] : [v.height, v.width];
  const fps = v.fps ?? 0;
  if (support.modes?.length) {
    // The decoder manages size/rate pairs (720p60 or 1080p30): the stream must fit one of them.
    if (!support.modes.some((m) => long <= m.width && short <= m.height && fps <= m.frameRate + 0.01)) {
      const modes = support.modes.map((m) => `${m.width}x${m.height}@${m.frameRate}`).join(', ');
      return `${v.width}x${v.height} at ${fps.toFixed(2)} fps fits none of ${profile.name}'s ${v.codec} modes (${modes})`;
    }
  } else {
    if ((support.maxWidth !== undefined && long > support.maxWidth) || (support.maxHeight !== undefined && short > support.maxHeight)) {
      return `${v.width}x${v.height} is larger than ${profile.name}'s ${support.maxWidth ?? '∞'}x${support.maxHeight ?? '∞'}`;
    }
    if (support.maxFrameRate !== undefined && fps > support.maxFrameRate + 0.01) return `${fps.toFixed(2)} fps is above ${profile.name}'s ${support.maxFrameRate}`;
  }
  if (support.maxBitDepth !== undefined && v.bitDepth > support.maxBitDepth) return `${v.bitDepth}-bit video is above ${profile.name}'s ${support.maxBitDepth}-bit`;
  if (v.hdr && !(support.hdr ?? []).includes(v.hdr)) return `${profile.name} cannot show ${v.hdr} video`;
  return null;
}

function checkAudio(profile: Profile, p: Probe): string | null {
  const a = p.audio!;
  const codec = audioCodec(a.codec);
  const support = codec ? profile.audioCodecs.find((c) => c.codec === codec) : undefined;
  if (!support) return `${profile.name} cannot decode ${a.codec} audio`;
  if (support.maxChannels !== undefined && a.channels > support.maxChannels) return `${a.channels}-channel ${a.codec} is above ${profile.name}'s ${support.maxChannels} channels`;
  if (support.maxSampleRate !== undefined && a.sampleRate > support.maxSampleRate) return `${a.sampleRate} Hz ${a.codec} is above ${profile.name}'s ${support.maxSampleRate} Hz`;
  if (support.maxBitDepth !== undefined && a.bitDepth !== null && a.bitDepth > support.maxBitDepth) return `${a.bitDepth}-bit ${a.codec} is above ${profile.name}'s ${support.maxBitDepth}-bit`;
  return null;
}

export function unsupportedReason(profile: Profile, p: Probe): string | null {
  if (p.image) {
    const fmt = p.videoCodec === 'mjpeg' ? 'jpeg' : p.videoCodec ?? '';
    return profile.imageFormats.includes(fmt) ? null : `${profile.name} cannot show ${fmt || 'this'} images`;
  }
  if (!MANIFESTS.has(p.container) && !profile.containers.includes(p.container)) return `${profile.name} cannot play the ${p.container} container`;
  // A speaker plays the audio of a video and never decodes the picture.
  const video = p.video && !profile.audioOnly;
  if (!video && !p.audio) return 'no stream this device can play';
  const why = (video ? checkVideo(profile, p) : null) ?? (p.audio ? checkAudio(profile, p) : null);
  if (why) return why;
  if (profile.maxBitrate !== undefined && p.bitRate !== null && p.bitRate > profile.maxBitrate) return `${Math.round(p.bitRate / 1000)} kbit/s is above ${profile.name}'s ${Math.round(profile.maxBitrate / 1000)} kbit/s`;
  return null;
}
