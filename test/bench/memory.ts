// Idle memory after the 5,000-file scan (measured by scan.ts in the same runs), beside minidlna's
// and beside a bare Node process (what any Node server costs before doing anything).
import { start } from './lib/proc.js';
import { settledRssMiB } from './lib/rss.js';
import type { Row } from './lib/table.js';

async function bareNodeRssMiB(): Promise<number | null> {
  const p = start('bare node', process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("ready")']);
  try {
    await p.waitFor(/ready/, 10_000);
    return await settledRssMiB(p.pid);
  } finally {
    await p.stop();
  }
}

export async function benchMemory(files: number, oursMiB: number | null, minidlnaMiB: number | null): Promise<Row[]> {
  const bare = await bareNodeRssMiB();
  return [
    { section: 'memory', metric: `idle RSS after scanning ${files} files`, unit: 'MiB', better: 'lower', ours: oursMiB, ref: minidlnaMiB, refName: 'minidlna' },
    { section: 'memory', metric: `idle RSS after scanning ${files} files`, unit: 'MiB', better: 'lower', ours: oursMiB, ref: bare, refName: 'bare node -e' },
  ];
}
