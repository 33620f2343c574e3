// The library scan, in phases (walk → diff → probe → write → prune), one scan at a time.
// Parsing runs in the probe pool; this thread only diffs and writes batches, so HTTP stays
// responsive. A file unchanged in size and mtime is never opened again. A quick scan (at start)
// does not read folders whose mtime is unchanged nor load their files' rows; a deep one (Rescan, the
// daily pass) stats every file. A file rewritten in place leaves its folder's mtime alone: the quick
// scan keeps its old row; the watcher (while running) and the deep pass find it.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import type { LibraryConfig } from '../config/schema.js';
import type { Db } from '../db/connection.js';
import type { Logger } from '../util/log.js';
import { classify, isPlaylistFile } from './classify.js';
import type { ProbePool } from './probe-pool.js';
import type { ProbeResult } from './probe-types.js';
import { fileCount, goneFolders, knownFiles, knownFilesIn, knownFolders, knownTree, saveFolders } from './known-tree.js';
import { isInside, walkLibrary, type FolderRecord, type KnownTree, type WalkEntry } from './walk.js';
import { LibraryWriter, type ScannedFile } from './writer.js';
import { releaseMemorySoon } from '../util/release-memory.js';

export interface ScanProgress {
  library: string;
  phase: 'walk' | 'probe' | 'prune';
  total: number;
  done: number;
}

export interface ScanSummary {
  library: string;
  files: number;
  probed: number;
  removed: number;
  errors: number;
  /** Folders not read again because their mtime had not changed (a quick scan). */
  skippedFolders: number;
  seconds: number;
}

/** The playlist importer (server/playlists/importer.ts), told which playlist files a scan found. */
export interface PlaylistSync {
  sync(lib: LibraryConfig, scope: string, found: string[], libraryChanged: boolean): Promise<void>;
  forgetLibrariesExcept(names: string[]): void;
}

const batchSize = 500;
const batchMs = 250;

export class Scanner extends EventEmitter<{ progress: [ScanProgress]; changed: [ScanSummary]; idle: [] }> {
  private writer: LibraryWriter;
  private queue: Promise<unknown> = Promise.resolve();
  private running = 0;
  /** A full scan asked for that has not started yet. */
  private queuedFull: Promise<ScanSummary[]> | null = null;
  private queuedDeep = false;
  progress: ScanProgress | null = null;

  constructor(private deps: { db: Db; libraries: LibraryConfig[]; pool: ProbePool; log: Logger; playlists?: PlaylistSync }) {
    super();
    this.writer = new LibraryWriter(deps.db);
  }

  get scanning(): boolean {
    return this.running > 0;
  }

  /** Full scan of every library; also forgets libraries that left the config. */
  scanAll(opts: { deep?: boolean } = {}): Promise<ScanSummary[]> {
    return this.requestScanAll(opts).done;
  }

  /** A deep scan every `everyMs`, the first `firstMs` after this call: finds files rewritten in
   *  place while the server was not running (their folder's mtime does not move). */
  deepEvery(firstMs: number, everyMs: number): () => void {
    const tick = () => {
      timer = setTimeout(tick, everyMs).unref();
      void this.scanAll({ deep: true }).catch(() => {}); // the scan logs its own failure
    };
    let timer = setTimeout(tick, firstMs).unref();
    return () => clearTimeout(timer);
  }

  /** A full scan, coalesced: while one waits to start, asking again joins it, so any number of
   *  requests make at most one running and one queued scan. */
  requestScanAll(opts: { deep?: boolean } = {}): { state: 'started' | 'queued' | 'coalesced'; done: Promise<ScanSummary[]> } {
    if (this.queuedFull) {
      this.queuedDeep ||= opts.deep === true;
      return { state: 'coalesced', done: this.queuedFull };
    }
    const state = this.running > 0 ? 'queued' : 'started';
    this.queuedDeep = opts.deep === true;
    const done = this.enqueue(async () => {
      const deep = this.queuedDeep;
      if (this.queuedFull === done) this.queuedFull = null;
      const names = this.deps.libraries.map((l) => l.name);
      const gone = this.deps.db.prepare(`SELECT id FROM files WHERE library NOT IN (${names.map(() => '?').join(',') || "''"})`).pluck().all(...names) as number[];
      if (gone.length) this.writer.deleteFiles(gone);
      this.deps.playlists?.forgetLibrariesExcept(names);
      const out: ScanSummary[] = [];
      for (const lib of this.deps.libraries) out.push(await this.scan(lib, lib.path, deep));
      return out;
    });
    this.queuedFull = done;
    return { state, done };
  }

  /** Rescans a file or folder inside a library (after a watch event): deep, the watcher said so. */
  scanPath(lib: LibraryConfig, path: string): Promise<ScanSummary> {
    return this.enqueue(() => this.scan(lib, path, true));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.running++;
    const run = this.queue.then(job).finally(() => {
      if (--this.running === 0) {
        this.progress = null;
        this.emit('idle');
        this.deps.pool.idle();
        releaseMemorySoon();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async scan(lib: LibraryConfig, scope: string, deep: boolean): Promise<ScanSummary> {
    const started = performance.now();
    const { db, pool, log } = this.deps;
    const summary: ScanSummary = { library: lib.name, files: 0, probed: 0, removed: 0, errors: 0, skippedFolders: 0, seconds: 0 };
    if (!existsSync(lib.path)) {
      // An unmounted drive must not empty the library: keep what we have, say so.
      log.warn('library folder not found, keeping its items', { library: lib.name, path: lib.path });
      return summary;
    }
    const whole = scope === lib.path;
    this.report({ library: lib.name, phase: 'walk', total: 0, done: 0 });
    const foldersBefore = knownFolders(db, lib.name, scope, whole);
    // Quick: folders with an unchanged mtime are not read, and only the rows of the folders read
    // again (or gone) are loaded; a library with no folders recorded yet is read whole.
    const quick = !deep && whole && foldersBefore.length > 0;
    const all = quick ? null : knownFiles(db, lib.name, scope, whole);
    // Workers boot while the walk runs; not for a quick pass over a library read before, which
    // seldom probes anything (the pool starts them on the first probe anyway).
    if (whole && !quick) pool.warm();
    const playlists: string[] = [];
    const walked = await this.entriesIn(lib, scope, quick ? knownTree(foldersBefore) : undefined, playlists);
    const entries = walked.entries;
    summary.skippedFolders = walked.skipped;
    const rows = all ?? knownFilesIn(db, lib.name, walked.read, goneFolders(foldersBefore, walked.folders ?? []));
    const known = new Map(rows.map((r) => [r.path, r]));

    const changed: WalkEntry[] = [];
    for (const e of entries) {
      const k = known.get(e.path);
      known.delete(e.path);
      if (!k || k.size !== e.size || k.mtime !== e.mtimeMs) changed.push(e);
    }
    const missing = [...known.values()].map((k) => k.id);
    if (missing.length) this.writer.deleteFiles(missing);

    const probed = await this.probeAll(lib, changed);
    // Deleted since the walk: gone, like the missing ones (a row from an earlier scan goes too).
    const goneIds = probed.gone.map((p) => this.idOf(p)).filter((id): id is number => id !== undefined);
    if (goneIds.length) this.writer.deleteFiles(goneIds);
    // Quick: the files of unchanged folders were never listed; the rows say how many there are.
    summary.files = quick ? fileCount(db, lib.name) : entries.length - probed.gone.length;
    summary.removed = missing.length + probed.gone.length;
    summary.probed = changed.length;
    summary.errors = probed.errors;
    if (changed.length || missing.length) {
      this.report({ library: lib.name, phase: 'prune', total: changed.length, done: changed.length });
      this.writer.pruneOrphans();
    }
    if (walked.folders) saveFolders(db, lib.name, foldersBefore, walked.folders);
    // After the files are written: a playlist's entries are looked up among them.
    await this.deps.playlists?.sync(lib, scope, playlists, changed.length > 0 || missing.length > 0 || probed.gone.length > 0);
    summary.seconds = Math.round(performance.now() - started) / 1000;
    if (whole) log.info('scan finished', { ...summary, pass: deep ? 'deep' : 'quick' });
    else if (changed.length || missing.length) log.info('library updated', { ...summary, path: relative(lib.path, scope) || '.' });
    if (changed.length || missing.length) this.emit('changed', summary);
    return summary;
  }

  /** `folders`: what the walk read, to record; null when `scope` was a single file. */
  private async entriesIn(lib: LibraryConfig, scope: string, known: KnownTree | undefined, playlists: string[]): Promise<{ entries: WalkEntry[]; folders: FolderRecord[] | null; skipped: number; read: string[] }> {
    const onIssue = (i: { path: string; reason: string }) => this.deps.log.warn('skipped', { library: lib.name, path: i.path, reason: i.reason });
    const none = (folders: FolderRecord[] | null) => ({ entries: [], folders, skipped: 0, read: [] });
    const st = await stat(scope).catch(() => undefined);
    if (!st) return none([]); // gone: so are the folders recorded under it
    if (st.isDirectory()) return walkLibrary(lib.path, lib.kind, onIssue, scope, known, playlists);
    if (st.isFile() && isPlaylistFile(scope) && !basename(scope).startsWith('.') && isInside(lib.path, scope)) playlists.push(scope);
    const c = st.isFile() ? classify(basename(scope), lib.kind) : undefined;
    if (!c || basename(scope).startsWith('.') || !isInside(lib.path, scope)) return none(null);
    // A single file from a watch event: the same symlink rule as the walk.
    const [real, realRoot] = await Promise.all([realpath(scope), realpath(lib.path)]);
    if (!isInside(realRoot, real)) return none(null);
    return { entries: [{ path: scope, rel: relative(lib.path, scope), kind: c.kind, mime: c.mime, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) }], folders: null, skipped: 0, read: [] };
  }

  private idOf(path: string): number | undefined {
    return this.deps.db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(path) as number | undefined;
  }

  private async probeAll(lib: LibraryConfig, files: WalkEntry[]): Promise<{ errors: number; gone: string[] }> {
    const { pool, log } = this.deps;
    let batch: ScannedFile[] = [];
    let lastFlush = performance.now();
    let done = 0;
    let errors = 0;
    const gone: string[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const t0 = performance.now();
      this.writer.writeBatch(batch);
      log.debug('scan progress', { library: lib.name, done, total: files.length, batch: batch.length, writeMs: Math.round(performance.now() - t0) });
      batch = [];
      lastFlush = performance.now();
      this.report({ library: lib.name, phase: 'probe', total: files.length, done });
    };
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const entry = files[next++]!;
        const result: ProbeResult = entry.error ? { ok: false, error: entry.error } : await pool.probe({ path: entry.path, kind: entry.kind, size: entry.size, mtimeMs: entry.mtimeMs, root: lib.path });
        done++;
        if (!result.ok && result.gone) {
          gone.push(entry.path);
          continue;
        }
        if (!result.ok) {
          errors++;
          log.warn('unreadable file', { library: lib.name, path: entry.rel, reason: result.error });
        } else if (result.kind === 'audio' && result.warning) log.warn('partly readable file', { library: lib.name, path: entry.rel, reason: result.warning });
        batch.push({ library: lib.name, entry, result });
        if (batch.length >= batchSize || performance.now() - lastFlush > batchMs) flush();
      }
    };
    this.report({ library: lib.name, phase: 'probe', total: files.length, done: 0 });
    await Promise.all(Array.from({ length: Math.min(pool.capacity, files.length) }, worker));
    flush();
    return { errors, gone };
  }

  private report(p: ScanProgress): void {
    this.progress = p;
    this.emit('progress', p);
  }
}
