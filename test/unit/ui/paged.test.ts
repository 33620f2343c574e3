import { describe, expect, it } from 'vitest';
import { PagedList } from '../../../ui/src/data/paged.js';

const total = 50_000;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PagedList', () => {
  it('loads only the pages asked for, once each, out of 50,000 items', async () => {
    const asked: number[] = [];
    let changes = 0;
    const list = new PagedList<number>(async (offset, limit) => {
      asked.push(offset);
      return { items: Array.from({ length: Math.min(limit, total - offset) }, (_, i) => offset + i), total };
    }, () => changes++);
    expect(list.get(12_345)).toBeUndefined();
    list.get(12_399);
    await flush();
    expect(list.get(12_345)).toBe(12_345);
    expect(list.total).toBe(total);
    list.ensure(12_350, 12_450);
    await flush();
    expect(asked).toEqual([12_300, 12_400]);
    expect(list.get(12_449)).toBe(12_449);
    expect(changes).toBe(2);
  });

  it('drops answers for an older query', async () => {
    const pending: { offset: number; d: ReturnType<typeof deferred<{ items: string[]; total: number }>> }[] = [];
    const list = new PagedList<string>((offset) => {
      const d = deferred<{ items: string[]; total: number }>();
      pending.push({ offset, d });
      return d.promise;
    }, () => undefined);
    list.get(0);
    list.reset();
    list.get(0);
    pending[1]!.d.resolve({ items: ['new'], total: 1 });
    pending[0]!.d.resolve({ items: ['old'], total: 9 });
    await flush();
    expect(list.get(0)).toBe('new');
    expect(list.total).toBe(1);
  });

  it('keeps a bounded number of pages', async () => {
    let loads = 0;
    const list = new PagedList<number>(async (offset) => (loads++, { items: [offset], total }), () => undefined, 100, 3);
    for (const i of [0, 100, 200, 300, 400]) list.get(i);
    await flush();
    expect(list.get(400)).toBe(400);
    list.get(0);
    await flush();
    expect(loads).toBe(6);
  });

  it('a failed page is not asked again until retry', async () => {
    let loads = 0;
    const list = new PagedList<number>(async () => {
      loads++;
      throw new Error('HTTP 500');
    }, () => undefined);
    list.get(0);
    await flush();
    list.get(0);
    list.ensure(0, 50);
    await flush();
    expect(loads).toBe(1);
    expect(list.error).toBe('HTTP 500');
    list.retry();
    list.get(0);
    await flush();
    expect(loads).toBe(2);
  });
});
