// A playlist as an extended M3U in UTF-8 (.m3u8). Paths are relative to the root folder of the
// library that holds the first entry: saved there, the file plays in any player on that machine
// and the next scan imports it back as the same list (an entry in another library gets a `../`
// path from that root). Absolute server paths are never written: the file may leave the server.
import { relative, sep } from 'node:path';

export interface ExportEntry {
  path: string;
  library: string;
  title: string | null;
  artist: string | null;
  duration: number | null;
}

export function toM3u8(name: string, entries: ExportEntry[], roots: Map<string, string>): string {
  const base = roots.get(entries[0]?.library ?? '') ?? [...roots.values()][0] ?? '/';
  const clean = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const lines = ['#EXTM3U', `#PLAYLIST:${clean(name)}`];
  for (const e of entries) {
    const label = e.title ? `${e.artist ? `${e.artist} - ` : ''}${e.title}` : '';
    lines.push(`#EXTINF:${e.duration === null ? -1 : Math.round(e.duration)},${clean(label)}`);
    lines.push(relative(base, e.path).split(sep).join('/'));
  }
  return `${lines.join('\n')}\n`;
}

/** A file name for Content-Disposition: the playlist's name, without what a file name cannot hold. */
export function exportFileName(name: string): string {
  return `${name.replace(/[/\\:*?"<>|\x00-\x1f]+/g, '_').trim() || 'playlist'}.m3u8`;
}
