// Playlists' rules: made ones are changed here; imported ones follow their file (changing them
// here would be undone at the next scan, so it is refused with a way out). Playlists are named
// by id or by name; every change is announced (`changed`) so remotes refresh.
import { EventEmitter } from 'node:events';
import { PlaybackError } from '../playback/session.js';
import type { PlaylistEntryRow, PlaylistProblem, PlaylistRow, PlaylistStore } from './store.js';

/** Item ids at most in one playlist (as many as one play command takes). */
export const MAX_PLAYLIST = 10_000;

export class PlaylistService extends EventEmitter<{ changed: [{ id: number }] }> {
  constructor(private store: PlaylistStore, private roots: Map<string, string>) {
    super();
  }

  list(p: { limit: number; offset: number; q?: string | undefined }): { items: PlaylistRow[]; total: number } {
    return this.store.list(p, this.roots);
  }

  /** A playlist by id (a number, or digits) or by name (case does not matter). */
  find(ref: number | string): PlaylistRow {
    const byId = typeof ref === 'number' || /^\d+$/.test(ref.trim()) ? this.store.get(Number(ref), this.roots) : undefined;
    if (byId) return byId;
    if (typeof ref === 'number') throw new PlaybackError(`no playlist ${ref}`);
    const ids = this.store.idsNamed(ref.trim());
    if (ids.length > 1) throw new PlaybackError(`${ids.length} playlists are called "${ref.trim()}": name it by id (${ids.join(', ')})`);
    const found = ids[0] !== undefined ? this.store.get(ids[0], this.roots) : undefined;
    if (!found) throw new PlaybackError(`no playlist called "${ref.trim()}"`);
    return found;
  }

  items(ref: number | string, p: { limit: number; offset: number }): { playlist: PlaylistRow; items: PlaylistEntryRow[]; total: number; problems: PlaylistProblem[] } {
    const playlist = this.find(ref);
    return { playlist, ...this.store.entries(playlist.id, p), problems: this.store.problems(playlist.id) };
  }

  itemIds(ref: number | string): number[] {
    return this.store.itemIds(this.find(ref).id);
  }

  create(name: string, itemIds: number[] = []): PlaylistRow {
    if (this.store.idsNamed(name).length) throw new PlaybackError(`there is already a playlist called "${name}"`);
    const id = this.store.create(name);
    if (itemIds.length) this.store.append(id, this.checked(itemIds, 0));
    return this.done(id);
  }

  rename(ref: number | string, name: string): PlaylistRow {
    const p = this.editable(ref, 'renamed');
    if (this.store.idsNamed(name).some((id) => id !== p.id)) throw new PlaybackError(`there is already a playlist called "${name}"`);
    this.store.rename(p.id, name);
    return this.done(p.id);
  }

  delete(ref: number | string): { id: number } {
    const p = this.editable(ref, 'deleted');
    this.store.delete(p.id);
    this.emit('changed', { id: p.id });
    return { id: p.id };
  }

  add(ref: number | string, itemIds: number[]): PlaylistRow {
    const p = this.editable(ref, 'added to');
    this.store.append(p.id, this.checked(itemIds, p.trackCount));
    return this.done(p.id);
  }

  remove(ref: number | string, entryId: number): PlaylistRow {
    const p = this.editable(ref, 'changed');
    if (!this.store.entryIds(p.id).includes(entryId)) throw new PlaybackError(`"${p.name}" has no entry ${entryId}`);
    this.store.removeEntry(p.id, entryId);
    return this.done(p.id);
  }

  /** Puts an entry at position `to` (0-based; past the end: last). */
  move(ref: number | string, entryId: number, to: number): PlaylistRow {
    const p = this.editable(ref, 'changed');
    const order = this.store.entryIds(p.id);
    const from = order.indexOf(entryId);
    if (from < 0) throw new PlaybackError(`"${p.name}" has no entry ${entryId}`);
    order.splice(from, 1);
    order.splice(Math.min(to, order.length), 0, entryId);
    this.store.reorder(p.id, order);
    return this.done(p.id);
  }

  private editable(ref: number | string, what: string): PlaylistRow {
    const p = this.find(ref);
    if (p.imported) {
      throw new PlaybackError(`"${p.name}" is imported from ${p.source?.path ?? 'a playlist file'} and follows that file: it is ${what} by editing the file (or make a playlist of your own from it: add it to another)`);
    }
    return p;
  }

  private checked(itemIds: number[], already: number): number[] {
    if (itemIds.length === 0) throw new PlaybackError('nothing to add');
    if (already + itemIds.length > MAX_PLAYLIST) throw new PlaybackError(`a playlist holds at most ${MAX_PLAYLIST} entries`);
    const found = this.store.existingItems(itemIds);
    const missing = itemIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new PlaybackError(`no library item ${missing}`);
    return itemIds;
  }

  private done(id: number): PlaylistRow {
    this.emit('changed', { id });
    return this.store.get(id, this.roots)!;
  }

  /** The importer changed imported playlists. */
  importedChanged(): void {
    this.emit('changed', { id: 0 });
  }
}
