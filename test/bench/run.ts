// npm run bench: prints a table of figures, each beside a reference measured in the same run
// (minidlna for scanning, nginx for streaming), as a ratio. Not a test: nothing passes or fails.
// Bounded in time, loopback only; stops every process it started and removes its temp folder.
// The 5,000-file library is kept in the temp dir between runs (a cache, rebuilt if missing).
//   node dist/test/bench/run.js [--files 5000] [--only scan|rescan|search|dlna|stream|play|fanout|transcode|memory|airplay|group|cast, or several: fanout,stream] [--long]
// scan also measures search on the scanned library; --only search scans once (ours only), then searches;
// --only rescan (not in the default run) times ours alone: one scan, then three restarts on the unchanged tree.
// --long (or BENCH_LONG=1): the group drift over 10 min instead of 2, the Cast drift (cast) instead of 1.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateBigLibrary } from '../fixtures/big-library.js';
import { killAll } from './lib/proc.js';
import { printTable, type Row } from './lib/table.js';
import { benchMemory } from './memory.js';
import { benchRescan, benchScan } from './scan.js';
import { benchSearch } from './search.js';
import { benchStream } from './stream.js';
import { benchTimeToPlay } from './time-to-play.js';
import { benchFanOut } from './fanout.js';
import { benchAirPlayFirstSound } from './airplay-first-sound.js';
import { benchAirPlayCpu } from './airplay-cpu.js';
import { benchGroupSync } from './group-sync.js';
import { benchGroupCpu } from './group-cpu.js';
import { benchGroupMove } from './group-move.js';
import { benchGroupCastDrift } from './group-cast-drift.js';
import { benchGroupCastCpu } from './group-cast-cpu.js';
import { benchDlnaBrowse } from './dlna-browse.js';
import { benchDlnaUpdate } from './dlna-update.js';
import { benchTranscode } from './transcode.js';
import { benchMemoryScale } from './memory-scale.js';

const { values } = parseArgs({ options: { files: { type: 'string', default: '5000' }, only: { type: 'string' }, long: { type: 'boolean', default: false } } });
const driftMinutes = values.long || process.env.BENCH_LONG === '1' ? 10 : 2;
const TIME_LIMIT_MS = (16 + driftMinutes) * 60_000;
const files = Number(values.files);
const only = values.only?.split(',');
const wants = (section: string) => !only || only.includes(section);
const progress = (s: string) => process.stderr.write(`[bench] ${s}\n`);

const work = await mkdtemp(join(tmpdir(), 'homecast-bench-'));
const cleanUp = () => {
  killAll();
  rmSync(work, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => (cleanUp(), process.exit(130)));
const rows: Row[] = [];
// Past the limit, the figures so far are still printed.
const limit = setTimeout(() => (progress(`time limit of ${TIME_LIMIT_MS / 60_000} min reached`), printTable(rows), cleanUp(), process.exit(2)), TIME_LIMIT_MS);

let failed = false;
async function section(name: string, f: () => Promise<Row[]>): Promise<void> {
  try {
    rows.push(...(await f()));
  } catch (err) {
    failed = true;
    progress(`${name} failed: ${(err as Error).stack ?? String(err)}`);
  }
}

try {
  if (wants('scan')) {
    await section('scan', async () => {
      const tree = join(tmpdir(), `homecast-bench-library-${files}`);
      progress(`scan: library of ${files} MP3s in ${tree}`);
      await generateBigLibrary(tree, { files, artists: 100 });
      const scan = await benchScan(tree, files, work, progress);
      const search = await benchSearch(tree, join(work, 'ours-2'), files, 100, progress);
      return [...scan.rows, ...search, ...(await benchMemory(files, scan.oursRssMiB, scan.minidlnaRssMiB))];
    });
  }
  if (only?.includes('rescan')) {
    await section('rescan', async () => {
      const tree = join(tmpdir(), `homecast-bench-library-${files}`);
      await generateBigLibrary(tree, { files, artists: 100 });
      return benchRescan(tree, files, work, progress);
    });
  }
  if (values.only === 'search') {
    await section('search', async () => {
      const tree = join(tmpdir(), `homecast-bench-library-${files}`);
      await generateBigLibrary(tree, { files, artists: 100 });
      return benchSearch(tree, join(work, 'search'), files, 100, progress);
    });
  }
  if (wants('dlna')) {
    await section('dlna', async () => {
      const tree = join(tmpdir(), `homecast-bench-library-${files}`);
      await generateBigLibrary(tree, { files, artists: 100 });
      return [...(await benchDlnaBrowse(tree, files, work, progress)), ...(await benchDlnaUpdate(work, progress))];
    });
  }
  if (wants('stream')) await section('stream', () => benchStream(work, progress));
  if (wants('play')) await section('play', () => benchTimeToPlay(work, progress));
  if (wants('fanout')) await section('fanout', () => benchFanOut(work, progress));
  if (wants('transcode')) await section('transcode', () => benchTranscode(work, progress));
  if (wants('memory')) await section('memory', () => benchMemoryScale(work, progress, values.only === 'memory'));
  // AirPlay: real speakers (shairport-sync) in a network namespace; needs root, like the tests.
  const root = process.getuid?.() === 0;
  if (wants('airplay') && !root) progress('airplay: skipped (needs root: the speakers run in a network namespace)');
  else if (wants('airplay')) {
    await section('airplay', () => benchAirPlayFirstSound(work, progress));
    await section('airplay', () => benchAirPlayCpu(work, progress));
  }
  // Groups: AirPlay speakers and Sendspin players in a network namespace, like the AirPlay bench.
  if (wants('group') && !root) progress('group: skipped (needs root: the members run in a network namespace)');
  else if (wants('group')) {
    await section('group', () => benchGroupSync(driftMinutes, progress));
    await section('group', () => benchGroupMove(work, progress));
    await section('group', () => benchGroupCpu(work, progress));
  }
  // Chromecasts in a group (Cast Streaming), with speakers, in a network namespace: drift over 1 min (--long: 10).
  if (wants('cast') && !root) progress('cast: skipped (needs root: the members run in a network namespace)');
  else if (wants('cast')) {
    await section('cast', () => benchGroupCastDrift(driftMinutes === 10 ? 600 : 60, progress));
    await section('cast', () => benchGroupCastCpu(work, progress));
  }
  process.stdout.write(`\nhomecast bench: ${cpus().length} cores, Node ${process.versions.node}\n\n`);
  printTable(rows);
} finally {
  clearTimeout(limit);
  cleanUp();
}
process.exitCode = failed ? 1 : 0;
