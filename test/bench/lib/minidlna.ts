// minidlna 1.3 as the scan reference: a temp config (own db, loopback only, no inotify), run in
// the foreground with -d, timed from start to its "Scanning <dir> finished (N files)!" line
// (full scan) or "Rescan completed" (with -r, over an existing database).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from './net.js';
import { start } from './proc.js';
import { peakRss, settledRssMiB } from './rss.js';

export interface MinidlnaRun {
  ms: number;
  files: number | null;
  /** RSS of the server process (the scan runs in a forked child) once the scan is done. */
  rssMiB: number | null;
  /** With measureRss: the peak of the server and its scanner child together, start → settled. */
  peakMiB?: number | null;
  /** A full scan stopped at `ms` (opts.partialAfterMs): the files it had indexed by then. */
  partial?: number;
}

/** Audio files in a minidlna database (its DETAILS table), read once it has stopped. */
function indexedAudio(dbDir: string): number {
  const db = new Database(join(dbDir, 'files.db'), { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM DETAILS WHERE MIME LIKE 'audio/%'").pluck().get() as number;
  } finally {
    db.close();
  }
}

/** `dbDir` holds the database: a fresh folder scans everything; with rescan, the previous run's.
 *  `partialAfterMs`: a full scan still running then is stopped and its rate read from the files it
 *  had indexed (a 100,000-file scan took minidlna over 500 s on a loaded 2-core machine). */
export async function minidlnaScan(tree: string, dbDir: string, opts: { rescan?: boolean; measureRss?: boolean; timeoutMs?: number; partialAfterMs?: number } = {}): Promise<MinidlnaRun> {
  await mkdir(dbDir, { recursive: true });
  const conf = join(dbDir, 'minidlna.conf');
  const lines = [`media_dir=A,${tree}`, `db_dir=${dbDir}`, `log_dir=${dbDir}`, `port=${await freePort()}`, 'network_interface=lo', 'inotify=no', 'friendly_name=homecast-bench'];
  await writeFile(conf, lines.join('\n') + '\n');
  const args = ['-d', '-f', conf, '-P', join(dbDir, 'minidlna.pid'), ...(opts.rescan ? ['-r'] : [])];
  const proc = start('minidlnad', 'minidlnad', args);
  const peak = opts.measureRss ? peakRss(proc.pid) : null;
  try {
    const done = opts.rescan ? /Rescan completed/ : /Scanning .* finished \((\d+) files\)!/;
    // A rescan of an unchanged tree takes about a second; once (2026-12-05, load 23) it never said
    // "Rescan completed", and a 5-minute wait took half the whole bench's budget.
    const partial = opts.partialAfterMs !== undefined && !opts.rescan;
    const finished = await proc.waitFor(done, partial ? opts.partialAfterMs! : (opts.timeoutMs ?? (opts.rescan ? 60_000 : 300_000))).catch((err: Error) => {
      if (partial) return null;
      throw err;
    });
    if (!finished) {
      const ms = performance.now() - proc.startedAt;
      await proc.stop();
      return { ms, files: null, rssMiB: null, partial: indexedAudio(dbDir) };
    }
    const files = /\((\d+) files\)/.exec(finished.line)?.[1];
    const rssMiB = opts.measureRss ? await settledRssMiB(proc.pid) : null;
    return { ms: finished.at - proc.startedAt, files: files ? Number(files) : null, rssMiB, ...(peak ? { peakMiB: peak.stop() } : {}) };
  } finally {
    peak?.stop();
    await proc.stop();
  }
}
