// Reads .m3u/.m3u8 (plain or extended) and .pls playlist files into the paths they list, each
// resolved against the playlist's folder. Nothing here opens an entry: the importer looks each
// path up among the files the scan already took, so an entry outside a library is never followed.
import { dirname, extname, isAbsolute, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { isPlaylistFile } from '../library/classify.js';

export interface ParsedEntry {
  /** 1-based line of the file, for reports. */
  line: number;
  /** The entry as written. */
  text: string;
  /** Absolute, normalized; undefined when the entry is not a local path (a stream URL). */
  path?: string;
}

export interface ParsedPlaylist {
  name?: string;
  entries: ParsedEntry[];
}

/** Bytes as text: `.m3u8` is UTF-8 by definition; a `.m3u` that is not valid UTF-8 is Latin-1 (Winamp's). */
export function decodePlaylist(bytes: Buffer, file: string): string {
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (extname(file).toLowerCase() === '.m3u8' || !utf8.includes('\uFFFD')) return utf8.replace(/^\uFEFF/, '');
  return bytes.toString('latin1');
}

export function parsePlaylist(text: string, file: string): ParsedPlaylist {
  const dir = dirname(file);
  const entries: ParsedEntry[] = [];
  const at = (line: number, raw: string) => entries.push({ line, text: raw, ...localPath(raw, dir) });
  const lines = text.split(/\r\n|\r|\n/);
  if (extname(file).toLowerCase() === '.pls') {
    // [playlist] File1=… Title1=…: entries in the order of their numbers, not of their lines.
    const numbered: { n: number; line: number; value: string }[] = [];
    lines.forEach((l, i) => {
      const m = /^\s*File(\d+)\s*=\s*(.*?)\s*$/i.exec(l);
      if (m && m[2]) numbered.push({ n: Number(m[1]), line: i + 1, value: m[2] });
    });
    for (const e of numbered.sort((a, b) => a.n - b.n)) at(e.line, e.value);
    return { entries };
  }
  let name: string | undefined;
  lines.forEach((l, i) => {
    const t = l.trim();
    if (!t) return;
    if (t.startsWith('#')) {
      const m = /^#PLAYLIST:\s*(.+)$/i.exec(t);
      if (m) name = m[1]!.trim();
      return;
    }
    at(i + 1, t);
  });
  return { ...(name ? { name } : {}), entries };
}

function localPath(raw: string, dir: string): { path?: string } {
  if (/^file:\/\//i.test(raw)) {
    try {
      return { path: normalize(fileURLToPath(raw)) };
    } catch {
      return {};
    }
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(raw)) return {}; // http://… and other streams
  // Written on Windows (`Music\Album\01.mp3`): its separators, when it has no others.
  const p = raw.includes('/') ? raw : raw.replaceAll('\\', '/');
  if (/^[a-z]:\//i.test(p)) return {}; // a drive letter: another machine's path
  return { path: isAbsolute(p) ? normalize(p) : resolve(dir, p) };
}
