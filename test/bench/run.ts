// npm run bench: every section's figures in ONE table at the end, each beside a reference measured
// in the same run (minidlna for scanning, nginx for streaming, a bare Socket.IO server for fan-out…)
// and their ratio. Not a test: nothing passes or fails. The whole run is sized for 10 minutes on a
// 2-core machine (long sections run a reduced size, named in their rows; --only runs a section's
// full size); past a hard limit (30 min) the rows so far are printed. Loopback only; stops every
// process it started and removes its temp folder. The 5,000-file library is kept in the temp dir.
// Set-up is shared where a later section can use an earlier one's: DLNA browses the scan section's
// data folders, memory reports the scan section's peaks, and the group CPU bench takes PulseAudio's
// run from the AirPlay section (each runs its own when run alone).
//   node dist/test/bench/run.js [--files 5000] [--only scan,fanout,…] [--long]
// --only takes any section names below, plus rescan (not in the default run); --only search scans
// once (ours only), then searches. Group drift: 30 s in the whole run, 2 min with --only group, 10 min
// with --long (or BENCH_LONG=1).
// A section adds rows by returning them (lib/table.ts's Row, or row() for the usual fields) from
// one entry of `sections` below.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateBigLibrary } from '../fixtures/big-library.js';
import { killAll } from './lib/proc.js';
import { printTable, type Row } from './lib/table.js';
import { benchMemory } from './memory.js';
import { benchRescan, benchScan, type ScanBench } from './scan.js';
import { benchSearch } from './search.js';
import { benchStream } from './stream.js';
import { benchTimeToPlay } from './time-to-play.js';
import { benchFanOut } from './fanout.js';
import { benchAirPlayFirstSound } from './airplay-first-sound.js';
import { benchAirPlayCpu, cpuWindow, type PulseRun } from './airplay-cpu.js';
import { benchGroupSync } from './group-sync.js';
import { benchGroupCpu } from './group-cpu.js';
import { benchGroupMove } from './group-move.js';
import { benchGroupCastDrift } from './group-cast-drift.js';
import { benchGroupCastCpu } from './group-cast-cpu.js';
import { benchDlnaBrowse } from './dlna-browse.js';
import { benchDlnaUpdate } from './dlna-update.js';
import { benchTranscode } from './transcode.js';
import { benchMemoryScale, peakRows } from './memory-scale.js';

const { values } = parseArgs({ options: { files: { type: 'string', default: '5000' }, only: { type: 'string' }, long: { type: 'boolean', default: false } } });
const long = values.long || process.env.BENCH_LONG === '1';
const only = values.only?.split(',');
const files = Number(values.files);
const t0 = performance.now();
const clock = () => {
  const s = Math.round((performance.now() - t0) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const progress = (s: string) => process.stderr.write(`[bench ${clock()}] ${s}\n`);

/** What every section gets. */
export interface BenchContext {
  /** A temp folder for this run (removed at the end). */
  work: string;
  progress: (s: string) => void;
  /** The size of the shared generated library (--files). */
  files: number;
  /** --long: the long variant of sections that have one. */
  long: boolean;
  /** This section was named in --only (a section may then run its full size). */
  named: boolean;
  /** The shared generated library (kept in the temp dir between runs), made on first use. */
  library(): Promise<string>;
}

/** What a section left for later ones in the same run. */
const kept: { scan?: ScanBench; pulse?: PulseRun } = {};

interface Section {
  name: string;
  run: (ctx: BenchContext) => Promise<Row[]>;
  /** Runs only when named in --only. */
  optIn?: true;
  /** Needs root (network namespaces): skipped otherwise, saying so. */
  root?: true;
}

// Order: quick sections first, so a run cut short by the time limit still has most rows.
const sections: Section[] = [
  {
    name: 'scan',
    run: async (c) => {
      const tree = await c.library();
      const scan = (kept.scan = await benchScan(tree, c.files, c.work, c.progress));
      const search = await benchSearch(tree, join(c.work, 'ours-2'), c.files, 100, c.progress);
      return [...scan.rows, ...search, ...(await benchMemory(c.files, scan.oursRssMiB, scan.minidlnaRssMiB))];
    },
  },
  { name: 'rescan', optIn: true, run: async (c) => benchRescan(await c.library(), c.files, c.work, c.progress) },
  // Only when alone: the scan section measures search already.
  { name: 'search', optIn: true, run: async (c) => (only?.includes('scan') ? [] : benchSearch(await c.library(), join(c.work, 'search'), c.files, 100, c.progress)) },
  { name: 'dlna', run: async (c) => [...(await benchDlnaBrowse(await c.library(), c.files, c.work, c.progress, kept.scan?.data)), ...(await benchDlnaUpdate(c.work, c.progress))] },
  { name: 'stream', run: (c) => benchStream(c.work, c.progress, c.named) },
  { name: 'play', run: (c) => benchTimeToPlay(c.work, c.progress) },
  { name: 'fanout', run: (c) => benchFanOut(c.work, c.progress) },
  // AirPlay and groups: real speakers (shairport-sync) and Sendspin players in a network namespace.
  // CPU: 20 s after 5 s of play with --only, 10 s after 3 s in the whole run (cpuWindow).
  { name: 'airplay', root: true, run: async (c) => [...(await benchAirPlayFirstSound(c.work, c.progress)), ...(await benchAirPlayCpu(c.work, c.progress, cpuWindow(c.named), (pa) => (kept.pulse = pa)))] },
  {
    name: 'group', root: true,
    run: async (c) => [...(await benchGroupSync(c.long ? 10 : c.named ? 2 : 0.5, c.progress)), ...(await benchGroupMove(c.work, c.progress)), ...(await benchGroupCpu(c.work, c.progress, cpuWindow(c.named), kept.pulse))],
  },
  // Chromecasts in a group (Cast Streaming) with speakers: drift over 30 s (1 min with --only cast, 10 with --long), CPU per member.
  {
    name: 'cast', root: true,
    run: async (c) => [...(await benchGroupCastDrift(c.long ? 600 : c.named ? 60 : 30, c.progress)), ...(await benchGroupCastCpu(c.work, c.progress, cpuWindow(c.named)))],
  },
  // The whole run: the scan section's 5,000-file runs (their peaks); --only memory: 10k, 50k, 100k.
  {
    name: 'memory',
    run: async (c) => {
      const s = kept.scan;
      return !c.named && s && (s.oursPeakMiB !== null || s.minidlnaPeakMiB !== null) ? peakRows(c.files, s.oursPeakMiB, s.minidlnaPeakMiB) : benchMemoryScale(c.work, c.progress, c.named);
    },
  },
  { name: 'transcode', run: (c) => benchTranscode(c.work, c.progress, c.named) },
];

const unknown = only?.filter((n) => !sections.some((s) => s.name === n));
if (unknown?.length) {
  process.stderr.write(`unknown section(s) ${unknown.join(', ')}; sections: ${sections.map((s) => s.name).join(', ')}\n`);
  process.exit(64);
}
const chosen = sections.filter((s) => (only ? only.includes(s.name) : !s.optIn));
// The whole run is sized for 10 minutes; a loaded machine takes longer, so the hard stop (for a
// hang) is later, and the total is printed beside the budget.
const BUDGET_MIN = 10;
const TIME_LIMIT_MS = (long ? 40 : 30) * 60_000 + (only ? 10 * 60_000 : 0);

const work = await mkdtemp(join(tmpdir(), 'homecast-bench-'));
const cleanUp = () => {
  killAll();
  rmSync(work, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => (cleanUp(), process.exit(130)));

const rows: Row[] = [];
const took: string[] = [];
const report = (cut?: string) => {
  process.stdout.write(`\nhomecast bench: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.versions.node}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n`);
  printTable(rows);
  process.stdout.write(`\nsection times: ${took.join(', ')}; total ${clock()} (budget of the whole run: ${BUDGET_MIN} min)${cut ? `; ${cut}` : ''}\n`);
};
let current = '';
const limit = setTimeout(() => {
  const cut = `time limit of ${TIME_LIMIT_MS / 60_000} min reached in ${current}`;
  progress(cut);
  report(cut);
  cleanUp();
  process.exit(2);
}, TIME_LIMIT_MS);

const tree = join(tmpdir(), `homecast-bench-library-${files}`);
let made: Promise<string> | undefined;
const ctx = (name: string): BenchContext => ({
  work, progress, files, long, named: !!only?.includes(name),
  library: () => (made ??= (progress(`library of ${files} MP3s in ${tree}`), generateBigLibrary(tree, { files, artists: 100 }).then(() => tree))),
});

let failed = false;
try {
  const root = process.getuid?.() === 0;
  for (const s of chosen) {
    if (s.root && !root) {
      progress(`${s.name}: skipped (needs root: its peers run in a network namespace)`);
      continue;
    }
    current = s.name;
    const started = performance.now();
    try {
      rows.push(...(await s.run(ctx(s.name))));
    } catch (err) {
      failed = true;
      progress(`${s.name} failed: ${(err as Error).stack ?? String(err)}`);
    }
    took.push(`${s.name} ${Math.round((performance.now() - started) / 1000)} s`);
  }
  report();
} finally {
  clearTimeout(limit);
  cleanUp();
}
process.exitCode = failed ? 1 : 0;
