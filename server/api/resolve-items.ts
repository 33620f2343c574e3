// "What to play" as a person types it: library ids, a file or folder path inside a library
// (absolute, or relative to a library root), or search text (all matching tracks, else the
// first matching video or photo).
import { isAbsolute, relative, sep } from 'node:path';
import type { LibraryQueries } from '../library/queries.js';
import { PlaybackError } from '../playback/session.js';

/** `libraries`: the user's restriction (null: all); an item outside it is as good as absent. */
export function resolveItems(what: number[] | string, q: LibraryQueries, roots: Map<string, string>, libraries: readonly string[] | null = null): number[] {
  if (Array.isArray(what)) {
    const outside = libraries && what.find((id) => !q.item(id, libraries));
    if (outside) throw new PlaybackError(`no library item with id ${outside}`);
    return what;
  }
  const text = what.trim();
  if (/^\d+$/.test(text) && q.item(Number(text), libraries)) return [Number(text)];
  if (isAbsolute(text)) {
    for (const [name, root] of roots) {
      if (libraries && !libraries.includes(name)) continue;
      const rel = relative(root, text);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) {
        const ids = q.idsByPath(rel.split(sep).join('/'), libraries);
        if (ids.length) return ids;
      }
    }
    throw new PlaybackError(`${text} is not in a library (or not scanned yet)`);
  }
  if (text.includes('/')) {
    const ids = q.idsByPath(text.replace(/^\.\//, '').replace(/\/+$/, ''), libraries);
    if (ids.length) return ids;
  }
  const tracks = q.tracks({ q: text, limit: 500, offset: 0, libraries }).items;
  if (tracks.length) return tracks.map((t) => t.id);
  const video = q.videos({ q: text, limit: 1, offset: 0, libraries }).items[0] ?? q.photos({ q: text, limit: 1, offset: 0, libraries }).items[0];
  if (video) return [video.id];
  // A number was most likely meant as an id: say there is none before saying the search found nothing.
  if (/^\d+$/.test(text)) throw new PlaybackError(`no library item with id ${text}, and nothing in the library matches "${text}"`);
  throw new PlaybackError(`nothing in the library matches "${text}"`);
}
