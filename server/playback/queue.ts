// A session's queue as plain data and pure operations on it: what plays next after an item
// ends or on "next" (repeat off / all / one), moving and removing entries, shuffle that can be
// undone. The session applies these and persists the result.
export interface QueueEntry {
  entryId: number;
  itemId: number;
  title: string;
  artist?: string;
  kind: 'audio' | 'video' | 'photo';
  duration: number | null;
  /** Queued by the server after an episode: its show's next one ("Up next", as Plex does). */
  upNext?: true;
}

export type Repeat = 'off' | 'all' | 'one';

export interface QueueState {
  entries: QueueEntry[];
  /** The current entry, or -1. */
  index: number;
  repeat: Repeat;
  shuffle: boolean;
  /** Entry ids in the order before shuffling, to restore it. */
  unshuffled?: number[];
  /** Who played this queue (a user id; 0: lan-open mode): their resume positions and plays. */
  listener?: number;
}

export const emptyQueue = (): QueueState => ({ entries: [], index: -1, repeat: 'off', shuffle: false });

/** Where to go when the current item ends by itself; undefined = stop. */
export function afterFinished(q: QueueState): number | undefined {
  if (q.index < 0) return undefined;
  if (q.repeat === 'one') return q.index;
  return nextIndex(q);
}

/** Where "next" goes; undefined = nothing after this one. */
export function nextIndex(q: QueueState): number | undefined {
  if (q.index + 1 < q.entries.length) return q.index + 1;
  return q.repeat === 'all' && q.entries.length > 0 ? 0 : undefined;
}

export function indexOfEntry(q: QueueState, entryId: number): number {
  return q.entries.findIndex((e) => e.entryId === entryId);
}

/** Moves an entry to position `to` (clamped); the current entry stays current wherever it lands. */
export function moveEntry(q: QueueState, entryId: number, to: number): QueueState {
  const from = indexOfEntry(q, entryId);
  if (from < 0) throw new RangeError(`no queue entry ${entryId}`);
  const current = q.entries[q.index]?.entryId;
  const entries = [...q.entries];
  const [moved] = entries.splice(from, 1);
  entries.splice(Math.min(Math.max(to, 0), entries.length), 0, moved!);
  return { ...q, entries, index: current === undefined ? q.index : entries.findIndex((e) => e.entryId === current) };
}

/** Removes an entry. `currentRemoved`: the playing entry went; index then points at what followed it. */
export function removeEntry(q: QueueState, entryId: number): { q: QueueState; currentRemoved: boolean } {
  const at = indexOfEntry(q, entryId);
  if (at < 0) throw new RangeError(`no queue entry ${entryId}`);
  const entries = q.entries.filter((e) => e.entryId !== entryId);
  const currentRemoved = at === q.index;
  let index = at < q.index ? q.index - 1 : q.index;
  if (index >= entries.length) index = entries.length - 1;
  const unshuffled = q.unshuffled?.filter((id) => id !== entryId);
  return { q: { ...q, entries, index, ...(unshuffled ? { unshuffled } : {}) }, currentRemoved };
}

/** Shuffles what comes after the current entry (the current one keeps playing); off restores the order. */
export function setShuffle(q: QueueState, on: boolean, random: () => number = Math.random): QueueState {
  if (on === q.shuffle) return q;
  const current = q.entries[q.index];
  if (on) {
    const head = q.entries.slice(0, q.index + 1);
    const rest = q.entries.slice(q.index + 1);
    for (let i = rest.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rest[i], rest[j]] = [rest[j]!, rest[i]!];
    }
    return { ...q, shuffle: true, entries: [...head, ...rest], unshuffled: q.entries.map((e) => e.entryId) };
  }
  const byId = new Map(q.entries.map((e) => [e.entryId, e]));
  const restored = (q.unshuffled ?? []).map((id) => byId.get(id)).filter((e): e is QueueEntry => e !== undefined);
  const known = new Set(q.unshuffled);
  const entries = [...restored, ...q.entries.filter((e) => !known.has(e.entryId))];
  const { unshuffled: _dropped, ...rest } = q;
  return { ...rest, shuffle: false, entries, index: current ? entries.findIndex((e) => e.entryId === current.entryId) : -1 };
}
