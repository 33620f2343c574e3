// What a DLNA renderer plays, from the Sink list it gives in ConnectionManager GetProtocolInfo
// (`http-get:*:audio/mpeg:DLNA.ORG_PN=MP3`, …), in the Profile the transcode decision reads. A MIME
// type says the container; the codecs in it are the ones that container usually carries, narrowed by
// DLNA.ORG_PN where a profile names them (AAC_ISO vs AVC_MP4…). A renderer that lists nothing gets
// the formats DLNA's guidelines make mandatory for audio (LPCM, MP3) and images (JPEG).
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../types.js';

type Audio = AudioCodecSupport['codec'];
type Video = VideoCodecSupport['codec'];
interface Format { container: string; audio: Audio[]; video?: Video[]; image?: string }

// MIME types renderers list (gmediarender lists GStreamer's; TVs list DLNA's) → container and codecs.
const BY_MIME: Record<string, Format> = {
  'audio/mpeg': { container: 'mp3', audio: ['mp3'] },
  'audio/mp3': { container: 'mp3', audio: ['mp3'] },
  'audio/x-mpeg': { container: 'mp3', audio: ['mp3'] },
  'audio/flac': { container: 'flac', audio: ['flac'] },
  'audio/x-flac': { container: 'flac', audio: ['flac'] },
  'audio/wav': { container: 'wav', audio: ['pcm'] },
  'audio/x-wav': { container: 'wav', audio: ['pcm'] },
  'audio/wave': { container: 'wav', audio: ['pcm'] },
  'audio/aac': { container: 'adts', audio: ['aac'] },
  'audio/x-aac': { container: 'adts', audio: ['aac'] },
  'audio/aacp': { container: 'adts', audio: ['aac'] },
  'audio/mp4': { container: 'mp4', audio: ['aac', 'alac'] },
  'audio/x-m4a': { container: 'mp4', audio: ['aac', 'alac'] },
  'audio/ogg': { container: 'ogg', audio: ['vorbis', 'opus', 'flac'] },
  'application/ogg': { container: 'ogg', audio: ['vorbis', 'opus', 'flac'] },
  'audio/x-vorbis': { container: 'ogg', audio: ['vorbis'] },
  'audio/opus': { container: 'ogg', audio: ['opus'] },
  'audio/webm': { container: 'webm', audio: ['opus', 'vorbis'] },
  'video/mp4': { container: 'mp4', audio: ['aac', 'mp3', 'ac3'], video: ['h264', 'hevc'] },
  'video/x-matroska': { container: 'matroska', audio: ['aac', 'mp3', 'ac3', 'eac3', 'flac', 'opus', 'vorbis'], video: ['h264', 'hevc', 'vp8', 'vp9'] },
  'video/x-mkv': { container: 'matroska', audio: ['aac', 'mp3', 'ac3', 'eac3', 'flac', 'opus', 'vorbis'], video: ['h264', 'hevc', 'vp8', 'vp9'] },
  'video/webm': { container: 'webm', audio: ['opus', 'vorbis'], video: ['vp8', 'vp9'] },
  'video/mpeg': { container: 'mpegts', audio: ['mp3', 'ac3', 'aac'], video: ['h264'] },
  'video/mp2t': { container: 'mpegts', audio: ['aac', 'mp3', 'ac3'], video: ['h264', 'hevc'] },
  'video/vnd.dlna.mpeg-tts': { container: 'mpegts', audio: ['aac', 'mp3', 'ac3'], video: ['h264'] },
  'video/quicktime': { container: 'mov', audio: ['aac', 'alac'], video: ['h264', 'hevc'] },
  'image/jpeg': { container: '', audio: [], image: 'jpeg' },
  'image/png': { container: '', audio: [], image: 'png' },
  'image/gif': { container: '', audio: [], image: 'gif' },
  'image/webp': { container: '', audio: [], image: 'webp' },
};

/** `audio/L16;rate=44100;channels=2` (raw PCM in HTTP) plays as WAV's PCM for our purposes: we send WAV. */
function formatOf(mime: string): Format | undefined {
  const base = mime.split(';')[0]!.trim().toLowerCase();
  if (base === 'audio/l16') return undefined; // raw PCM without a header: we never send it
  return BY_MIME[base];
}

export interface SinkEntry { protocol: string; mime: string; additional: string }

/** One `protocol:network:contentFormat:additionalInfo` entry; undefined when malformed. */
export function parseProtocolInfo(entry: string): SinkEntry | undefined {
  const parts = entry.trim().split(':');
  if (parts.length < 4) return undefined;
  return { protocol: parts[0]!, mime: parts[2]!, additional: parts.slice(3).join(':') };
}

/** The renderer's Sink list → Profile. `name` is how reasons call it ("Living room (gmediarender)"). */
export function profileFromSink(name: string, sink: readonly string[]): Profile {
  const containers = new Set<string>();
  const audio = new Set<Audio>();
  const video = new Set<Video>();
  const images = new Set<string>();
  for (const entry of sink) {
    const e = parseProtocolInfo(entry);
    if (!e || e.protocol !== 'http-get') continue;
    const f = formatOf(e.mime);
    if (!f) continue;
    if (f.image) images.add(f.image);
    if (!f.container) continue;
    containers.add(f.container);
    for (const a of f.audio) audio.add(a);
    for (const v of f.video ?? []) video.add(v);
  }
  if (!containers.size && !images.size) return defaultProfile(name);
  return {
    name,
    audioOnly: video.size === 0,
    containers: [...containers],
    videoCodecs: [...video].map((codec) => ({ codec })),
    audioCodecs: [...audio].map((codec) => ({ codec })),
    subtitleFormats: [],
    imageFormats: [...images],
  };
}

/** DLNA's mandatory formats: LPCM (we send WAV) and MP3 for audio, JPEG for images. */
export function defaultProfile(name = 'DLNA renderer'): Profile {
  return {
    name,
    audioOnly: true,
    containers: ['mp3', 'wav'],
    videoCodecs: [],
    audioCodecs: [{ codec: 'mp3' }, { codec: 'pcm', maxBitDepth: 16 }],
    subtitleFormats: [],
    imageFormats: ['jpeg'],
  };
}
