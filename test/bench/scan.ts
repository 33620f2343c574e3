// Scan throughput on the generated 5,000-file library: our server vs minidlna over the same tree,
// each run once from an empty database after every file was read once (a warm page cache, as a
// first scan each used to give, for less than a tenth of the time), then a rescan of the unchanged
// tree (ours: a restart on the same data folder; minidlna: -r on its database). Also leaves the
// idle and peak RSS of both, and both data folders (the DLNA bench browses them: ScanBench.data).
// Past WARM_UP_TO files (--files 100000, the first-scan comparison) nothing is read first:
// minidlna scans first (its run warms the page cache for ours: said in the row) and is stopped
// part-way; the timeout grows with the size.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minidlnaScan, type MinidlnaRun } from './lib/minidlna.js';
import { startOurs, waitScanFinished, type ScanFinished } from './lib/ours.js';
import { peakRss, settledRssMiB } from './lib/rss.js';
import type { Row } from './lib/table.js';

export interface ScanBench {
  rows: Row[];
  oursRssMiB: number | null;
  minidlnaRssMiB: number | null;
  /** Peak RSS of each from start through the scan until settled (minidlna with its scanner child). */
  oursPeakMiB: number | null;
  minidlnaPeakMiB: number | null;
  /** The scanned data folders, left for other sections (null when that run failed). */
  data: { ours: string | null; minidlna: string | null };
}

/** Reads every file under `dir` once, so the scans that follow find it in the page cache. */
async function warmPageCache(dir: string): Promise<void> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  for (let i = 0; i < files.length; i += 64) await Promise.all(files.slice(i, i + 64).map((f) => readFile(f)));
}

const LIB = 'Bench';
const WARM_UP_TO = 20_000;
/** Past WARM_UP_TO, minidlna's full scan is stopped after this and its rate read from what it had indexed. */
const MINIDLNA_PARTIAL_AFTER_MS = 240_000;
/** 300 s, or 5 ms a file for bigger libraries (100k: 500 s; ours took 164–236 s on a loaded 2-core machine). */
const scanTimeoutMs = (files: number) => Math.max(300_000, files * 5);

async function oursScan(tree: string, dataDir: string, measureRss: boolean, timeoutMs = scanTimeoutMs(0)): Promise<ScanFinished & { rssMiB: number | null; peakMiB: number | null }> {
  const s = await startOurs(dataDir, [{ name: LIB, path: tree, kind: 'music' }]);
  const peak = measureRss ? peakRss(s.proc.pid) : null;
  try {
    const done = await waitScanFinished(s, LIB, timeoutMs);
    const rssMiB = measureRss ? await settledRssMiB(s.proc.pid) : null;
    return { ...done, rssMiB, peakMiB: peak?.stop() ?? null };
  } finally {
    peak?.stop();
    await s.proc.stop();
  }
}

/** Runs `f`, or records why it failed and returns null, so one side failing still prints the other. */
async function attempt<T>(what: string, errors: string[], f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch (err) {
    errors.push(`${what}: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
}

export async function benchScan(tree: string, files: number, work: string, progress: (s: string) => void): Promise<ScanBench> {
  const errors: string[] = [];
  const rate = (ms: number | undefined, done = files) => (ms === undefined ? null : done / (ms / 1000));
  /** minidlna's rate: over the files it had indexed when stopped part-way. */
  const mdRate = (run: MinidlnaRun | null | undefined) => (run ? rate(run.ms, run.partial ?? files) : null);
  const timeoutMs = scanTimeoutMs(files);
  // Once each, stored as run 2 (ours-2 is what the search bench restarts on). Past WARM_UP_TO
  // minidlna's run warms the cache for ours (reading 100k files first would take as long).
  const big = files > WARM_UP_TO;
  if (!big) {
    progress(`scan: reading the ${files} files once (page cache)`);
    await warmPageCache(tree);
  }
  // Run "2": the data folders' names other sections know (ours-2: the search bench restarts on it).
  progress('scan: minidlna');
  const md2 = await attempt('minidlna', errors, () => minidlnaScan(tree, join(work, 'minidlna-2'), { measureRss: true, timeoutMs, ...(big ? { partialAfterMs: MINIDLNA_PARTIAL_AFTER_MS } : {}) }));
  progress('scan: minidlna rescan (-r)');
  // A scan stopped part-way leaves no database to rescan.
  const mdRescan = md2 && md2.partial === undefined ? await attempt('minidlna -r', errors, () => minidlnaScan(tree, join(work, 'minidlna-2'), { rescan: true, timeoutMs })) : null;
  progress('scan: our server');
  const o2 = await attempt('our server', errors, () => oursScan(tree, join(work, 'ours-2'), true, timeoutMs));
  progress('scan: our server restart (rescan of an unchanged tree)');
  const oursRescan = o2 ? await attempt('our server restart', errors, () => oursScan(tree, join(work, 'ours-2'), false, timeoutMs)) : null;

  const once = big;
  const counted = o2;
  const checks = [
    ...errors,
    ...(counted && counted.files !== files ? [`our server counted ${counted.files} files, expected ${files}`] : []),
    ...(counted && counted.errors > 0 ? [`our server reported ${counted.errors} errors`] : []),
    ...(md2?.files != null && md2.files !== files ? [`minidlna counted ${md2.files} files`] : []),
  ];
  const rows: Row[] = [
    {
      section: 'scan', metric: once ? `first scan of ${files} MP3s, one run each, process start → scan done` : `${files} MP3s, warm cache, process start → scan done`, unit: 'files/s', better: 'higher',
      ours: rate(o2?.sinceStartMs), ref: mdRate(md2), refName: md2?.partial !== undefined ? `minidlna, first ${md2.partial} files` : 'minidlna',
      note: (once ? `one run each (over ${WARM_UP_TO} files), minidlna first: its run warms the page cache for ours`
        + (md2?.partial !== undefined ? `; minidlna stopped after ${(md2.ms / 1000).toFixed(0)} s with ${md2.partial} of ${files} files indexed: its rate over those` : '')
        : 'one run each, after every file was read once (warm page cache)')
        + (checks.length ? `; ${checks.join('; ')}` : ''),
    },
    {
      section: 'scan', metric: `${files} MP3s, ${once ? 'one run' : 'warm cache'}, server's own seconds=`, unit: 'files/s', better: 'higher',
      ours: o2 ? files / o2.seconds : null, ref: mdRate(md2), refName: 'minidlna, process start → done',
    },
    {
      section: 'scan', metric: `rescan of the unchanged ${files} files after a restart`, unit: 'files/s', better: 'higher',
      ours: rate(oursRescan?.sinceStartMs), ref: rate(mdRescan?.ms), refName: 'minidlna -r',
      note: oursRescan ? `ours: ${oursRescan.seconds.toFixed(2)} s by its own seconds=, probed=${oursRescan.probed}` : undefined,
    },
  ];
  return {
    rows, oursRssMiB: o2?.rssMiB ?? null, minidlnaRssMiB: md2?.rssMiB ?? null, oursPeakMiB: o2?.peakMiB ?? null, minidlnaPeakMiB: md2?.peakMiB ?? null,
    data: { ours: o2 ? join(work, 'ours-2') : null, minidlna: md2 && md2.partial === undefined ? join(work, 'minidlna-2') : null },
  };
}

/** `--only rescan`: ours only, one first scan then three restarts on the same data folder (the
 *  rescan of an unchanged tree); the best restart is the figure, all three in the note. */
export async function benchRescan(tree: string, files: number, work: string, progress: (s: string) => void): Promise<Row[]> {
  const dataDir = join(work, 'rescan');
  progress('rescan: first scan');
  await oursScan(tree, dataDir, false);
  const runs: ScanFinished[] = [];
  for (const i of [1, 2, 3]) {
    progress(`rescan: restart ${i}`);
    runs.push(await oursScan(tree, dataDir, false));
  }
  const best = runs.reduce((a, b) => (b.sinceStartMs < a.sinceStartMs ? b : a));
  const wrong = runs.filter((r) => r.files !== files || r.probed !== 0);
  return [{
    section: 'scan', metric: `rescan of the unchanged ${files} files after a restart, best of 3`, unit: 'files/s', better: 'higher',
    ours: files / (best.sinceStartMs / 1000), ref: null, refName: 'minidlna -r (not run: --only scan has it)',
    note: `process start → done: ${runs.map((r) => Math.round(files / (r.sinceStartMs / 1000))).join(', ')} files/s; own seconds=: ${runs.map((r) => r.seconds).join(', ')}`
      + (wrong.length ? `; a restart counted ${wrong[0]!.files} files, probed ${wrong[0]!.probed}` : ''),
  }];
}
