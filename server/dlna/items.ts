// The rows of the items a page shows, read from SQLite when asked: the tree keeps only ids and
// kinds (tree.ts). An id whose row is gone (deleted since this generation was built, before the
// next one) has no row: the page leaves it out until the new generation drops it.
import type { LibraryQueries } from '../library/queries.js';
import { kindOf, type ItemRow, type Tree } from './tree.js';

/** Rows read at most this many at a time (a Search or a sort over the whole library). */
export const ROWS_CHUNK = 2000;

export function itemRows(q: LibraryQueries, tree: Tree, fileIds: readonly number[]): Map<number, ItemRow> {
  const wanted = { audio: [] as number[], video: [] as number[], photo: [] as number[] };
  for (const id of fileIds) wanted[kindOf(tree, id)].push(id);
  const out = new Map<number, ItemRow>();
  const page = (ids: number[]) => ({ limit: ids.length, offset: 0, ids });
  // Only rows of the kind this generation knows the id as: a row read back is checked, not trusted.
  const keep = (ids: number[]) => new Set(ids);
  if (wanted.audio.length) {
    const k = keep(wanted.audio);
    for (const row of q.tracks(page(wanted.audio)).items) if (k.has(row.id)) out.set(row.id, { kind: 'audio', row });
  }
  if (wanted.video.length) {
    const k = keep(wanted.video);
    for (const row of q.videos(page(wanted.video)).items) if (k.has(row.id)) out.set(row.id, { kind: 'video', row });
  }
  if (wanted.photo.length) {
    const k = keep(wanted.photo);
    for (const row of q.photos(page(wanted.photo)).items) if (k.has(row.id)) out.set(row.id, { kind: 'photo', row });
  }
  return out;
}
