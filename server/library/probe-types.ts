// What probing one file yields. Plain data: it crosses the worker-thread boundary.
import type { MediaKind } from './classify.js';

export interface ArtRef {
  hash: string;
  mime: string;
  /** Where the original image lives: the art cache for embedded pictures, else the image file itself. */
  path: string;
  source: 'embedded' | 'folder' | 'frame' | 'photo';
}

export interface AudioInfo {
  title: string;
  artist: string;
  albumArtist: string;
  album: string | null;
  compilation: boolean;
  trackNo: number | null;
  trackTotal: number | null;
  discNo: number | null;
  discTotal: number | null;
  year: number | null;
  genre: string | null;
  duration: number | null;
  codec: string | null;
  container: string | null;
  lossless: boolean | null;
  sampleRate: number | null;
  bitDepth: number | null;
  channels: number | null;
  bitrate: number | null;
  replayGain: { trackGain: number | null; trackPeak: number | null; albumGain: number | null; albumPeak: number | null };
}

export interface VideoStream {
  index: number;
  type: 'video' | 'audio' | 'subtitle' | 'other';
  codec: string | null;
  profile?: string | null;
  level?: number | null;
  width?: number | null;
  height?: number | null;
  frameRate?: number | null;
  pixFmt?: string | null;
  bitDepth?: number | null;
  hdr?: string | null;
  channels?: number | null;
  channelLayout?: string | null;
  sampleRate?: number | null;
  language?: string | null;
  title?: string | null;
  default?: boolean;
  forced?: boolean;
}

export interface SubtitleInfo {
  /** 'embedded' streams are addressed by stream index; 'external' by file path. */
  source: 'embedded' | 'external';
  format: string;
  language: string | null;
  title: string | null;
  streamIndex?: number;
  path?: string;
  /** The file says show this one (an embedded stream's default disposition, `Movie.en.default.srt`). */
  default?: boolean;
  /** Forced: only the parts in another language than the audio (`Movie.en.forced.srt`). */
  forced?: boolean;
}

export interface VideoInfo {
  title: string;
  /** Release year: from tags, else from a file name like "Title (2019)". */
  year: number | null;
  container: string | null;
  duration: number | null;
  bitrate: number | null;
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  hdr: string | null;
  streams: VideoStream[];
  subtitles: SubtitleInfo[];
}

export interface PhotoInfo {
  title: string;
  takenAt: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  orientation: number | null;
  width: number | null;
  height: number | null;
  latitude: number | null;
  longitude: number | null;
}

export interface ProbeJob {
  path: string;
  kind: MediaKind;
  size: number;
  mtimeMs: number;
}

export type ProbeResult =
  | { ok: true; kind: 'audio'; info: AudioInfo; art: ArtRef | null; /** Read, but not all of it (e.g. broken tags). */ warning?: string }
  | { ok: true; kind: 'video'; info: VideoInfo; art: ArtRef | null }
  | { ok: true; kind: 'photo'; info: PhotoInfo; art: ArtRef | null }
  | { ok: false; error: string; /** Deleted (or renamed) since the walk: not an error, just no longer there. */ gone?: boolean };
