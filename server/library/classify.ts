// Which files a library takes, by extension: the scanner never opens anything else.
import type { LibraryKind } from '../config/schema.js';

export type MediaKind = 'audio' | 'video' | 'photo';

const types: Record<string, { kind: MediaKind; mime: string }> = {
  mp3: { kind: 'audio', mime: 'audio/mpeg' },
  flac: { kind: 'audio', mime: 'audio/flac' },
  m4a: { kind: 'audio', mime: 'audio/mp4' },
  m4b: { kind: 'audio', mime: 'audio/mp4' },
  aac: { kind: 'audio', mime: 'audio/aac' },
  alac: { kind: 'audio', mime: 'audio/mp4' },
  ogg: { kind: 'audio', mime: 'audio/ogg' },
  oga: { kind: 'audio', mime: 'audio/ogg' },
  opus: { kind: 'audio', mime: 'audio/ogg' },
  wav: { kind: 'audio', mime: 'audio/wav' },
  aif: { kind: 'audio', mime: 'audio/aiff' },
  aiff: { kind: 'audio', mime: 'audio/aiff' },
  wma: { kind: 'audio', mime: 'audio/x-ms-wma' },
  ape: { kind: 'audio', mime: 'audio/x-ape' },
  wv: { kind: 'audio', mime: 'audio/x-wavpack' },
  dsf: { kind: 'audio', mime: 'audio/x-dsf' },
  mp4: { kind: 'video', mime: 'video/mp4' },
  m4v: { kind: 'video', mime: 'video/mp4' },
  mov: { kind: 'video', mime: 'video/quicktime' },
  mkv: { kind: 'video', mime: 'video/x-matroska' },
  webm: { kind: 'video', mime: 'video/webm' },
  avi: { kind: 'video', mime: 'video/x-msvideo' },
  ts: { kind: 'video', mime: 'video/mp2t' },
  m2ts: { kind: 'video', mime: 'video/mp2t' },
  mpg: { kind: 'video', mime: 'video/mpeg' },
  mpeg: { kind: 'video', mime: 'video/mpeg' },
  wmv: { kind: 'video', mime: 'video/x-ms-wmv' },
  jpg: { kind: 'photo', mime: 'image/jpeg' },
  jpeg: { kind: 'photo', mime: 'image/jpeg' },
  png: { kind: 'photo', mime: 'image/png' },
  gif: { kind: 'photo', mime: 'image/gif' },
  webp: { kind: 'photo', mime: 'image/webp' },
  heic: { kind: 'photo', mime: 'image/heic' },
  tif: { kind: 'photo', mime: 'image/tiff' },
  tiff: { kind: 'photo', mime: 'image/tiff' },
};

const accepts: Record<LibraryKind, ReadonlySet<MediaKind>> = {
  music: new Set(['audio']),
  video: new Set(['video']),
  photo: new Set(['photo']),
  mixed: new Set(['audio', 'video', 'photo']),
};

/** Folder art in a music library is artwork, not a photo. */
const folderArt = /^(folder|cover|front|album|albumart)\.(jpe?g|png|webp)$/i;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function classify(name: string, library: LibraryKind): { kind: MediaKind; mime: string } | undefined {
  const t = types[extensionOf(name)];
  if (!t || !accepts[library].has(t.kind)) return undefined;
  if (t.kind === 'photo' && library === 'mixed' && folderArt.test(name)) return undefined;
  return t;
}

/** Playlist files (.m3u, .m3u8, .pls): not media, but the scan hands them to the playlist importer. */
export function isPlaylistFile(name: string): boolean {
  const ext = extensionOf(name);
  return ext === 'm3u' || ext === 'm3u8' || ext === 'pls';
}

export function isFolderArt(name: string): boolean {
  return folderArt.test(name);
}
