// Would the device we pretend to be (the Apple TV, the DLNA renderer) play this stream? A probe checked
// against the model's Profile the way AVPlayer fails: container first, then the video decoder, then the audio one.
// Returns the reason for refusing, or null.
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../types.js';
import type { VideoProbe } from './media-probe.js';

function audioCodec(name: string): AudioCodecSupport['codec'] | null {
  if (name.startsWith('pcm_')) return 'pcm';
  const known: AudioCodecSupport['codec'][] = ['aac', 'mp3', 'flac', 'opus', 'vorbis', 'alac', 'ac3', 'eac3'];
  return known.find((c) => c === name) ?? null;
}

function checkVideo(profile: Profile, v: NonNullable<VideoProbe['video']>): string | null {
  const s = profile.videoCodecs.find((c) => c.codec === (v.codec as VideoCodecSupport['codec']));
  if (!s) return `${profile.name} cannot decode ${v.codec} video`;
  if (s.profiles && v.profile && !s.profiles.includes(v.profile)) return `${profile.name} cannot decode ${v.codec} profile ${v.profile}`;
  if (s.maxLevel !== undefined && v.level !== null && v.level > s.maxLevel) return `${v.codec} level ${v.level} is above ${profile.name}'s ${s.maxLevel}`;
  const [long, short] = v.width >= v.height ? [v.width, v.height] : [v.height, v.width];
  const fps = v.fps ?? 0;
  const modes = s.modes ?? [{ width: s.maxWidth ?? Infinity, height: s.maxHeight ?? Infinity, frameRate: s.maxFrameRate ?? Infinity }];
  if (!modes.some((m) => long <= m.width && short <= m.height && fps <= m.frameRate + 0.01)) {
    return `${v.width}x${v.height} at ${fps.toFixed(2)} fps is beyond ${profile.name}'s ${modes.map((m) => `${m.width}x${m.height}@${m.frameRate}`).join(', ')}`;
  }
  if (s.maxBitDepth !== undefined && v.bitDepth > s.maxBitDepth) return `${v.bitDepth}-bit video is above ${profile.name}'s ${s.maxBitDepth}-bit`;
  if (v.hdr && v.hdr !== 'hlg' && !(s.hdr ?? []).includes(v.hdr)) return `${profile.name} cannot show ${v.hdr} video`;
  return null;
}

function checkAudio(profile: Profile, a: NonNullable<VideoProbe['audio']>): string | null {
  const codec = audioCodec(a.codec);
  const s = codec ? profile.audioCodecs.find((c) => c.codec === codec) : undefined;
  if (!s) return `${profile.name} cannot decode ${a.codec} audio`;
  if (s.maxChannels !== undefined && a.channels > s.maxChannels) return `${a.channels}-channel ${a.codec} is above ${profile.name}'s ${s.maxChannels} channels`;
  if (s.maxBitDepth !== undefined && a.bitDepth !== null && a.bitDepth > s.maxBitDepth) return `${a.bitDepth}-bit ${a.codec} is above ${profile.name}'s ${s.maxBitDepth}-bit`;
  return null;
}

export function refusal(profile: Profile, p: VideoProbe): string | null {
  if (!p.video && !p.audio) return 'no audio or video stream';
  if (!profile.containers.includes(p.container)) return `${profile.name} cannot open ${p.container} (${p.formatName})`;
  if (p.video && profile.audioOnly) return `${profile.name} shows no video`;
  return (p.video ? checkVideo(profile, p.video) : null) ?? (p.audio ? checkAudio(profile, p.audio) : null);
}
