// Playlists' rules: made ones are changed here; imported ones follow their file (changing them
// here would be undone at the next scan, so it is refused with a way out). Playlists are named
// by id or by name; every change is announced (`changed`) so remotes refresh. Each call names who
// asks (a Viewer): made playlists are their maker's, and only entries of their libraries are seen.
import { EventEmitter } from 'node:events';
import { PlaybackError } from '../playback/session.js';
import type { PlaylistEntryRow, PlaylistProblem, PlaylistRow, PlaylistStore, Viewer } from './store.js';

/** Item ids at most in one playlist (as many as one play command takes). */
export const MAX_PLAYLIST = 10_000;

export class PlaylistService extends EventEmitter<{ changed: [{ id: number }] }> {
  constructor(private store: PlaylistStore, private roots: Map<string, string>) {
    super();
  }

  list(p: { limit: number; offset: number; q?: string | undefined }, who: Viewer): { items: PlaylistRow[]; total: number } {
    return this.store.list(p, this.roots, who);
  }

  /** A playlist by id (a number, or digits) or by name (case does not matter). */
  find(ref: number | string, who: Viewer): PlaylistRow {
    const byId = typeof ref === 'number' || /^\d+$/.test(ref.trim()) ? this.store.get(Number(ref), this.roots, who) : undefined;
    if (byId) return byId;
    if (typeof ref === 'number') throw new PlaybackError(`no playlist ${ref}`);
    const ids = this.store.idsNamed(ref.trim(), who);
    if (ids.length > 1) throw new PlaybackError(`${ids.length} playlists are called "${ref.trim()}": name it by id (${ids.join(', ')})`);
    const found = ids[0] !== undefined ? this.store.get(ids[0], this.roots, who) : undefined;
    if (!found) throw new PlaybackError(`no playlist called "${ref.trim()}"`);
    return found;
  }

  items(ref: number | string, p: { limit: number; offset: number }, who: Viewer): { playlist: PlaylistRow; items: PlaylistEntryRow[]; total: number; problems: PlaylistProblem[] } {
    const playlist = this.find(ref, who);
    return { playlist, ...this.store.entries(playlist.id, p, who), problems: this.store.problems(playlist.id) };
  }

  itemIds(ref: number | string, who: Viewer): number[] {
    return this.store.itemIds(this.find(ref, who).id, who);
  }

  create(name: string, itemIds: number[], who: Viewer): PlaylistRow {
    if (this.store.idsNamed(name, who).length) throw new PlaybackError(`there is already a playlist called "${name}"`);
    const checked = itemIds.length ? this.checked(itemIds, 0, who) : [];
    const id = this.store.create(name, who.id);
    if (checked.length) this.store.append(id, checked);
    return this.done(id, who);
  }

  rename(ref: number | string, name: string, who: Viewer): PlaylistRow {
    const p = this.editable(ref, 'renamed', who);
    if (this.store.idsNamed(name, who).some((id) => id !== p.id)) throw new PlaybackError(`there is already a playlist called "${name}"`);
    this.store.rename(p.id, name);
    return this.done(p.id, who);
  }

  delete(ref: number | string, who: Viewer): { id: number } {
    const p = this.editable(ref, 'deleted', who);
    this.store.delete(p.id);
    this.emit('changed', { id: p.id });
    return { id: p.id };
  }

  add(ref: number | string, itemIds: number[], who: Viewer): PlaylistRow {
    const p = this.editable(ref, 'added to', who);
    this.store.append(p.id, this.checked(itemIds, p.trackCount, who));
    return this.done(p.id, who);
  }

  remove(ref: number | string, entryId: number, who: Viewer): PlaylistRow {
    const p = this.editable(ref, 'changed', who);
    if (!this.store.entryIds(p.id).includes(entryId)) throw new PlaybackError(`"${p.name}" has no entry ${entryId}`);
    this.store.removeEntry(p.id, entryId);
    return this.done(p.id, who);
  }

  /** Puts an entry at position `to` (0-based; past the end: last). */
  move(ref: number | string, entryId: number, to: number, who: Viewer): PlaylistRow {
    const p = this.editable(ref, 'changed', who);
    const order = this.store.entryIds(p.id);
    const from = order.indexOf(entryId);
    if (from < 0) throw new PlaybackError(`"${p.name}" has no entry ${entryId}`);
    order.splice(from, 1);
    order.splice(Math.min(to, order.length), 0, entryId);
    this.store.reorder(p.id, order);
    return this.done(p.id, who);
  }

  private editable(ref: number | string, what: string, who: Viewer): PlaylistRow {
    const p = this.find(ref, who);
    if (p.imported) {
      throw new PlaybackError(`"${p.name}" is imported from ${p.source?.path ?? 'a playlist file'} and follows that file: it is ${what} by editing the file (or make a playlist of your own from it: add it to another)`);
    }
    return p;
  }

  private checked(itemIds: number[], already: number, who: Viewer): number[] {
    if (itemIds.length === 0) throw new PlaybackError('nothing to add');
    if (already + itemIds.length > MAX_PLAYLIST) throw new PlaybackError(`a playlist holds at most ${MAX_PLAYLIST} entries`);
    const found = this.store.existingItems(itemIds, who);
    const missing = itemIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new PlaybackError(`no library item ${missing}`);
    return itemIds;
  }

  private done(id: number, who: Viewer): PlaylistRow {
    this.emit('changed', { id });
    return this.store.get(id, this.roots, who)!;
  }

  /** The importer changed imported playlists. */
  importedChanged(): void {
    this.emit('changed', { id: 0 });
  }
}
