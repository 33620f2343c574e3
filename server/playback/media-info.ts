// What the transcode decision needs to know about one item, built from what the library stored.
// music-metadata and ffprobe name the same things differently ("MPEG 1 Layer 3" vs "mp3",
// "M4A/isom/iso2" vs "mov,mp4,…"): everything is normalised here to ffprobe/transcode-params names,
// so decide.ts compares plain names with a Profile's.
import type { AudioInfo, VideoInfo, VideoStream } from '../library/probe-types.js';

export type Hdr = 'hdr10' | 'hlg' | 'dolby-vision';

export interface MediaVideo {
  codec: string;
  profile: string | null;
  level: number | null;
  width: number | null;
  height: number | null;
  frameRate: number | null;
  bitDepth: number | null;
  hdr: Hdr | null;
}

export interface MediaAudio {
  codec: string;
  channels: number | null;
  sampleRate: number | null;
  bitDepth: number | null;
  /** Known lossless (FLAC, ALAC, PCM, APE…): a transcode should stay lossless. */
  lossless: boolean;
}

export interface MediaInfo {
  /** Normalised: 'mp4', 'matroska', 'webm', 'mpegts', 'mp3', 'adts', 'flac', 'ogg', 'wav', or the source's own lower-case name. */
  container: string | null;
  video?: MediaVideo;
  audio?: MediaAudio;
  /** Total bits per second. */
  bitrate: number | null;
  /** Text subtitles (embedded or beside the file); side-loaded as WebVTT, they never change the stream decision. */
  subtitles: { format: string; source: 'embedded' | 'external' }[];
}

// music-metadata containers (first token before "/" for ISO BMFF brands and EBML doc types), then ffprobe demuxers.
const CONTAINERS: [RegExp, string][] = [
  [/^(mpeg|mp3)$/, 'mp3'],
  [/^(adts|aac)\b/, 'adts'],
  [/^flac$/, 'flac'],
  [/^ogg$/, 'ogg'],
  [/^(wave?|wav)$/, 'wav'],
  [/^(aiff|aiff-c)$/, 'aiff'],
  [/^ebml\/webm$|^webm$/, 'webm'],
  [/^ebml\/matroska$|^matroska$/, 'matroska'],
  [/^(qt|mov)$/, 'mov'], // QuickTime brand: not on Cast's list, unlike its MP4 cousin
  [/^(m4a|m4b|m4p|m4v|mp4|mp41|mp42|isom|iso\d|avc1|dash|3gp\d*|3g2\w*|f4v)$/, 'mp4'],
  [/^mpegts$/, 'mpegts'],
  [/^asf\b/, 'asf'],
  [/^monkey's audio$/, 'ape'],
  [/^wavpack$/, 'wavpack'],
];

/**
 * "M4A/isom/iso2" → mp4, "MPEG" → mp3, "EBML/webm" → webm, "WAVE" → wav, ffprobe's 'matroska' stays.
 * `video`: ffprobe's 'mpeg' is an MPEG program stream (.mpg), not music-metadata's MP3 "MPEG".
 */
export function normaliseContainer(name: string | null | undefined, video = false): string | null {
  const n = name?.trim().toLowerCase();
  if (!n) return null;
  if (video && n === 'mpeg') return 'mpeg';
  // ISO BMFF brands ("M4A/isom/iso2", "isom/iso2/avc1/mp41"): the first brand decides; EBML keeps its doc type.
  const head = n.startsWith('ebml/') || n.startsWith('adts/') ? n : n.split(/[/,]/)[0]!.trim();
  for (const [re, out] of CONTAINERS) if (re.test(head)) return out;
  return head;
}

const AUDIO_CODECS: [RegExp, string][] = [
  [/^mpeg[- ]?(1|2|2\.5) layer 3$|^mp3$|^mpeg\/l3$/, 'mp3'],
  [/^mpeg[- ]?(1|2|2\.5) layer 2$|^mp2$|^mpeg\/l2$/, 'mp2'],
  [/^(mpeg-4\/)?aac\b|^aac/, 'aac'],
  [/^alac$/, 'alac'],
  [/^flac$/, 'flac'],
  [/^opus$/, 'opus'],
  [/^vorbis/, 'vorbis'],
  [/^(pcm|pcm\/int\/lit|pcm\/int\/big|pcm_[su]\d+(le|be)?|lpcm|non-compressed pcm)$/, 'pcm'],
  [/^(ieee_float|pcm\/float|pcm_f\d+(le|be)?)$/, 'pcm-float'],
  [/^(ac-?3|a52)$/, 'ac3'],
  [/^(e-?ac-?3|ec-3)$/, 'eac3'],
  [/^dts/, 'dts'],
  [/^truehd$/, 'truehd'],
  [/^(windows media audio|wmav?\d*|wmapro|wmalossless)/, 'wma'],
  [/^(ape|monkey's audio)$/, 'ape'],
  [/^dsd/, 'dsd'],
];

/** music-metadata "MPEG 1 Layer 3" → mp3, "ALAC" → alac, "PCM" → pcm; ffprobe "pcm_s16le" → pcm, "aac" stays. */
export function normaliseAudioCodec(name: string | null | undefined): string | null {
  const n = name?.trim().toLowerCase();
  if (!n) return null;
  for (const [re, out] of AUDIO_CODECS) if (re.test(n)) return out;
  return n;
}

export function normaliseVideoCodec(name: string | null | undefined): string | null {
  const n = name?.trim().toLowerCase();
  if (!n) return null;
  return n === 'h265' ? 'hevc' : n === 'avc' || n === 'avc1' ? 'h264' : n;
}

const LOSSLESS = new Set(['flac', 'alac', 'pcm', 'pcm-float', 'ape', 'wavpack', 'truehd', 'dsd']);

/** ffprobe's pcm_s24le carries its depth in the name; music-metadata gives bitsPerSample instead. */
function pcmDepth(raw: string | null | undefined): number | null {
  const m = /^pcm_[suf](\d+)/i.exec(raw ?? '');
  return m ? Number(m[1]) : null;
}

function hdrOf(s: string | null | undefined): Hdr | null {
  return s === 'hdr10' || s === 'hlg' || s === 'dolby-vision' ? s : null;
}

/** An audio track row (AudioInfo, or any row with the same fields). */
export function mediaInfoFromTrack(t: Pick<AudioInfo, 'codec' | 'container' | 'lossless' | 'sampleRate' | 'bitDepth' | 'channels' | 'bitrate'>): MediaInfo {
  const container = normaliseContainer(t.container);
  // APE files carry no codec name in music-metadata, only the container.
  // A track always has a stream (the probe refuses files without one); an unnamed codec is still worth a transcode.
  const codec = normaliseAudioCodec(t.codec) ?? (container === 'ape' || container === 'wavpack' ? container : 'unknown');
  const audio: MediaAudio = {
    codec,
    channels: t.channels,
    sampleRate: t.sampleRate,
    bitDepth: t.bitDepth ?? pcmDepth(t.codec),
    lossless: t.lossless ?? LOSSLESS.has(codec),
  };
  return { container, audio, bitrate: t.bitrate, subtitles: [] };
}

// Cover art in a video file shows up as a video stream (ffprobe attached_pic): never the picture.
const STILL = new Set(['mjpeg', 'png', 'bmp', 'gif', 'webp']);

/** A video row (VideoInfo): the main video stream and its audio stream `audioIndex` (among the audio
 *  streams; the one a transcode maps), the first by default. */
export function mediaInfoFromVideo(v: Pick<VideoInfo, 'container' | 'bitrate' | 'videoCodec' | 'streams' | 'subtitles'>, audioIndex = 0): MediaInfo {
  const videos = v.streams.filter((s) => s.type === 'video' && !STILL.has(s.codec ?? ''));
  const vs: VideoStream | undefined = videos.find((s) => s.codec === v.videoCodec) ?? videos[0];
  const as = v.streams.filter((s) => s.type === 'audio')[audioIndex];
  const info: MediaInfo = {
    container: normaliseContainer(v.container, true),
    bitrate: v.bitrate,
    subtitles: v.subtitles.map((s) => ({ format: s.format, source: s.source })),
  };
  const vcodec = normaliseVideoCodec(vs?.codec);
  if (vs && vcodec) {
    info.video = {
      codec: vcodec,
      profile: vs.profile ?? null,
      level: vs.level ?? null,
      width: vs.width ?? null,
      height: vs.height ?? null,
      frameRate: vs.frameRate ?? null,
      bitDepth: vs.bitDepth ?? null,
      hdr: hdrOf(vs.hdr),
    };
  }
  const acodec = normaliseAudioCodec(as?.codec);
  if (as && acodec) {
    info.audio = { codec: acodec, channels: as.channels ?? null, sampleRate: as.sampleRate ?? null, bitDepth: pcmDepth(as.codec), lossless: LOSSLESS.has(acodec) };
  }
  return info;
}
