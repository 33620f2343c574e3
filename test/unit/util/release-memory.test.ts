// releaseMemory collects garbage an idle server would keep: V8 collects only when allocating.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { releaseMemory } from '../../../server/util/release-memory.js';
import { projectRoot } from '../../helpers/paths.js';

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

  // The young generation a busy spell grew (two 16 MiB semispaces) stays committed through a full
  // collection that runs while V8 still sees the spell's allocation rate. In a process of its own,
  // with V8's memory reducer off (it would give it back 8–40 s later on its own), so only
  // releaseMemorySoon's collections can.
  it('gives back the young generation a busy spell grew, once quiet', async () => {
    const module = pathToFileURL(join(projectRoot, 'dist/server/util/release-memory.js')).href;
    const script = `
      import { getHeapSpaceStatistics } from 'node:v8';
      import { releaseMemorySoon } from ${JSON.stringify(module)};
      const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
      // Survivors at a high allocation rate, as a scan's batches are: V8 grows the young generation.
      let keep = [];
      for (let j = 0; j < 12; j++) { for (let i = 0; i < 300000; i++) keep.push({ i, s: 'x' + i }); keep = keep.slice(-100000); }
      keep = null;
      const grown = young();
      const start = Date.now();
      releaseMemorySoon();
      const poll = setInterval(() => {
        if (young() > 4 && Date.now() - start < 15000) return;
        clearInterval(poll);
        console.log(JSON.stringify({ grown, after: young(), ms: Date.now() - start }));
      }, 100);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-memory-reducer', '--input-type=module', '-e', script], { timeout: 30_000 });
    const r = JSON.parse(stdout) as { grown: number; after: number; ms: number };
    expect(r.grown).toBeGreaterThanOrEqual(16);
    expect(r.after).toBeLessThanOrEqual(4);
    expect(r.ms).toBeLessThan(10_000);
  }, 40_000);
});
