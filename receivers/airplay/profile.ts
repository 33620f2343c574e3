// What an AirPlay (RAOP) speaker plays, as the transcode decision sees it. The speaker itself takes
// only 44.1 kHz/16-bit stereo PCM (as ALAC), but the driver decodes the item with ffmpeg and sends
// that: so every audio container and codec is "supported" with no limits, and the decision comes
// out 'direct' for any audio (our HTTP transcode endpoint is never asked). Video: only its audio.
import type { Profile } from '../types.js';

const CONTAINERS = ['mp3', 'adts', 'flac', 'ogg', 'wav', 'aiff', 'mp4', 'mov', 'matroska', 'webm', 'mpegts', 'asf', 'ape', 'wavpack'];
const CODECS = ['aac', 'mp3', 'flac', 'opus', 'vorbis', 'pcm', 'alac', 'ac3', 'eac3'] as const;

/** Every RAOP speaker gets the same profile; the model (TXT `am`) only names it. */
export function profileForModel(model: string | null | undefined, _opts?: { audioOnlyHint?: boolean }): Profile {
  const m = model?.trim();
  return {
    name: m ? `AirPlay speaker (${m})` : 'AirPlay speaker',
    audioOnly: true,
    containers: [...CONTAINERS],
    videoCodecs: [],
    audioCodecs: CODECS.map((codec) => ({ codec })),
    subtitleFormats: [],
    imageFormats: [],
  };
}
