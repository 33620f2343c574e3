import { describe, expect, it } from 'vitest';
import { afterFinished, emptyQueue, moveEntry, nextIndex, removeEntry, setShuffle, type QueueState } from '../../../server/playback/queue.js';

function queue(n: number, index = 0, extra: Partial<QueueState> = {}): QueueState {
  return { ...emptyQueue(), entries: Array.from({ length: n }, (_, i) => ({ entryId: i + 1, itemId: 100 + i, title: `T${i + 1}`, kind: 'audio' as const, duration: 10 })), index, ...extra };
}
const ids = (q: QueueState) => q.entries.map((e) => e.entryId);

describe('queue', () => {
  it.each([
    ['off, middle', queue(3, 1), 2, 2],
    ['off, last', queue(3, 2), undefined, undefined],
    ['all, last wraps', queue(3, 2, { repeat: 'all' }), 0, 0],
    ['one repeats the item when it ends, next still moves on', queue(3, 1, { repeat: 'one' }), 1, 2],
    ['empty', queue(0, -1), undefined, undefined],
  ])('%s', (_name, q, finished, next) => {
    expect(afterFinished(q)).toBe(finished);
    expect(nextIndex(q)).toBe(next);
  });

  it('moves entries and keeps the current one current', () => {
    const q = moveEntry(queue(4, 1), 4, 0);
    expect(ids(q)).toEqual([4, 1, 2, 3]);
    expect(q.entries[q.index]!.entryId).toBe(2);
    const r = moveEntry(q, 2, 99);
    expect(ids(r)).toEqual([4, 1, 3, 2]);
    expect(r.index).toBe(3);
    expect(() => moveEntry(q, 42, 0)).toThrow(/no queue entry 42/);
  });

  it('removes entries before, at and after the current one', () => {
    expect(removeEntry(queue(4, 2), 1)).toMatchObject({ currentRemoved: false, q: { index: 1 } });
    expect(removeEntry(queue(4, 2), 4)).toMatchObject({ currentRemoved: false, q: { index: 2 } });
    const cur = removeEntry(queue(4, 2), 3);
    expect(cur.currentRemoved).toBe(true);
    expect(cur.q.entries[cur.q.index]!.entryId).toBe(4);
    expect(removeEntry(queue(3, 2), 3).q.index).toBe(1);
  });

  it('shuffles only what follows the current entry, and restores the order', () => {
    let seed = 0.3;
    const random = () => (seed = (seed * 9301 + 0.49297) % 1);
    const q = setShuffle(queue(6, 1), true, random);
    expect(q.shuffle).toBe(true);
    expect(ids(q).slice(0, 2)).toEqual([1, 2]);
    expect(ids(q).slice(2).sort()).toEqual([3, 4, 5, 6]);
    const moved = moveEntry(q, q.entries[5]!.entryId, 0);
    const off = setShuffle(moved, false);
    expect(ids(off)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(off.entries[off.index]!.entryId).toBe(2);
  });
});
