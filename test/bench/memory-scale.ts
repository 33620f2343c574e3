// Memory at library sizes: for 10k, 50k and 100k generated MP3s (in the whole bench: the scan
// section's 5,000-file runs, sampled the same way, to keep it within 10 minutes — peakRows; with no
// scan section, 10k; BENCH_MEMORY_SIZES overrides, e.g. "10000,50000,100000"), the peak RSS
// from start through the scan until it settles, and the idle RSS once it has, of our server
// and of minidlna over the same tree (minidlna scans in a forked child: its peak counts the parent
// and the child together). Sampled from /proc every 200 ms. Libraries are generated once and kept
// in the temp dir, like the scan bench's.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBigLibrary } from '../fixtures/big-library.js';
import { freePort } from './lib/net.js';
import { startOurs, waitScanFinished } from './lib/ours.js';
import { start, type Tracked } from './lib/proc.js';
import { peakRss, settledRssMiB } from './lib/rss.js';
import type { Row } from './lib/table.js';
import { mkdir, writeFile } from 'node:fs/promises';

const sizes = (all: boolean) => (process.env.BENCH_MEMORY_SIZES ?? (all ? '10000,50000,100000' : '10000')).split(',').map(Number);
const LIB = 'Bench';
const SCAN_TIMEOUT_MS = 600_000;

async function ours(tree: string, dataDir: string): Promise<{ peak: number | null; idle: number | null }> {
  const s = await startOurs(dataDir, [{ name: LIB, path: tree, kind: 'music' }]);
  try {
    const peak = peakRss(s.proc.pid);
    await waitScanFinished(s, LIB, SCAN_TIMEOUT_MS);
    const idle = await settledRssMiB(s.proc.pid);
    return { peak: peak.stop(), idle };
  } finally {
    await s.proc.stop();
  }
}

async function minidlna(tree: string, dbDir: string): Promise<{ peak: number | null; idle: number | null }> {
  await mkdir(dbDir, { recursive: true });
  const conf = join(dbDir, 'minidlna.conf');
  await writeFile(conf, [`media_dir=A,${tree}`, `db_dir=${dbDir}`, `log_dir=${dbDir}`, `port=${await freePort()}`, 'network_interface=lo', 'inotify=no', 'friendly_name=homecast-bench'].join('\n') + '\n');
  const proc: Tracked = start('minidlnad', 'minidlnad', ['-d', '-f', conf, '-P', join(dbDir, 'minidlna.pid')]);
  try {
    const peak = peakRss(proc.pid);
    await proc.waitFor(/Scanning .* finished \((\d+) files\)!/, SCAN_TIMEOUT_MS);
    const idle = await settledRssMiB(proc.pid);
    return { peak: peak.stop(), idle };
  } finally {
    await proc.stop();
  }
}

/** The whole run's memory rows: the peaks of the scan section's runs (no scan of its own). */
export function peakRows(files: number, ours: number | null, minidlna: number | null): Row[] {
  return [{
    section: 'memory', metric: `peak RSS, start → scan done → settled, ${files.toLocaleString('en-US')} tracks (the scan section's runs)`, unit: 'MiB', better: 'lower', ours, ref: minidlna, refName: 'minidlna (+ its scanner child)',
    note: 'the whole run reuses the scan section\'s runs (idle RSS: its memory rows); --only memory scans 10k, 50k and 100k',
  }];
}

/** `all`: the three sizes (--only memory); else 10k only. */
export async function benchMemoryScale(work: string, progress: (s: string) => void, all: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const files of sizes(all)) {
    const tree = join(tmpdir(), `homecast-bench-library-${files}`);
    progress(`memory: library of ${files} MP3s in ${tree}`);
    await generateBigLibrary(tree, { files, artists: Math.max(100, files / 100) });
    progress(`memory: minidlna scanning ${files}`);
    const md = await minidlna(tree, join(work, `mem-minidlna-${files}`)).catch((err: Error) => (progress(`memory: minidlna failed: ${err.message}`), { peak: null, idle: null }));
    progress(`memory: our server scanning ${files}`);
    const us = await ours(tree, join(work, `mem-ours-${files}`)).catch((err: Error) => (progress(`memory: ours failed: ${err.message}`), { peak: null, idle: null }));
    rows.push(
      { section: 'memory', metric: `peak RSS, start → scan done → settled, ${files.toLocaleString('en-US')} tracks`, unit: 'MiB', better: 'lower', ours: us.peak, ref: md.peak, refName: 'minidlna (+ its scanner child)' },
      { section: 'memory', metric: `idle RSS after scanning ${files.toLocaleString('en-US')} tracks`, unit: 'MiB', better: 'lower', ours: us.idle, ref: md.idle, refName: 'minidlna' },
    );
  }
  return rows;
}
