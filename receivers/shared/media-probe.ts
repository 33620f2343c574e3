// What an emulated video device (the Apple TV, the DLNA renderer) finds in a media URL: ffprobe over
// HTTP with the device's own User-Agent (it makes its own requests, as the device's player does),
// reduced to what the profile check and the events need.
import { audioInfo, containerOf, num, pickStream, runFfprobe, videoInfo, type AudioInfo, type FfprobeOptions, type RawProbe, type VideoInfo } from './ffprobe.js';

export interface ProbedVideo extends VideoInfo {
  /** The sample entry / fourcc ('avc1', 'hvc1', 'hev1', ...); Apple players take HEVC in MP4 only as hvc1. */
  tag: string | null;
}

export type ProbedAudio = AudioInfo;

export interface VideoProbe {
  /** Our container name: 'mp4' (ISO BMFF and QuickTime), 'matroska', 'webm', 'mpegts', 'mp3', 'adts', ... */
  container: string;
  formatName: string;
  duration: number | null;
  video: ProbedVideo | null;
  audio: ProbedAudio | null;
}

export function fromFfprobe(raw: RawProbe): VideoProbe {
  const streams = raw.streams ?? [];
  const formatName = raw.format?.format_name ?? 'unknown';
  const v = pickStream(streams, 'video');
  const a = pickStream(streams, 'audio');
  const video: ProbedVideo | null = v ? { ...videoInfo(v), tag: v.codec_tag_string && !/^\[/.test(v.codec_tag_string) ? v.codec_tag_string : null } : null;
  const audio: ProbedAudio | null = a ? audioInfo(a) : null;
  const codecs = [video?.codec, audio?.codec].filter((c): c is string => !!c);
  return { container: containerOf(formatName, codecs), formatName, duration: num(raw.format?.duration), video, audio };
}

export async function probeMedia(url: string, opts: FfprobeOptions & { userAgent: string }): Promise<VideoProbe> {
  return fromFfprobe(await runFfprobe(url, opts));
}
