// The profile of a receiver fed PCM that our own ffmpeg decodes (an AirPlay speaker, a Sendspin
// player, a group of them): every audio container and codec ffmpeg reads is "supported" with no
// limits, so the decision comes out 'direct' for any audio; of a video only its audio is played.
import type { Profile } from '../types.js';

const CONTAINERS = ['mp3', 'adts', 'flac', 'ogg', 'wav', 'aiff', 'mp4', 'mov', 'matroska', 'webm', 'mpegts', 'asf', 'ape', 'wavpack'];
const CODECS = ['aac', 'mp3', 'flac', 'opus', 'vorbis', 'pcm', 'alac', 'ac3', 'eac3'] as const;

export function decodedAudioProfile(name: string): Profile {
  return {
    name,
    audioOnly: true,
    containers: [...CONTAINERS],
    videoCodecs: [],
    audioCodecs: CODECS.map((codec) => ({ codec })),
    subtitleFormats: [],
    imageFormats: [],
  };
}
