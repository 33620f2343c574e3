// releaseMemory collects garbage an idle server would keep: V8 collects only when allocating.
import { describe, expect, it } from 'vitest';
import { releaseMemory } from '../../../server/util/release-memory.js';

describe('releaseMemory', () => {
  it('frees the old generation garbage a finished scan leaves', () => {
    releaseMemory();
    const before = process.memoryUsage().heapUsed;
    // ~40 MB of objects that live long enough to reach the old generation, then are dropped.
    let keep: Array<{ path: string; n: number }> | null = Array.from({ length: 400_000 }, (_, i) => ({ path: `Artist ${i % 100}/Album ${i % 1000}/${i}.mp3`, n: i }));
    for (let i = 0; i < 3; i++) keep = keep.map((x) => ({ ...x }));
    const full = process.memoryUsage().heapUsed;
    keep = null;
    releaseMemory();
    const after = process.memoryUsage().heapUsed;
    expect(full - before).toBeGreaterThan(25e6);
    expect(after - before).toBeLessThan((full - before) / 4);
  });
});
