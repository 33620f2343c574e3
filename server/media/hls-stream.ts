// One HLS stream: one ffmpeg writing numbered segments into a private temp dir. A segment
// request waits until its file exists; one far ahead of what the running ffmpeg has made, or
// behind where it started, restarts ffmpeg at that segment (Jellyfin's rule: back, or > 24 s
// ahead). ffmpeg is paused (SIGSTOP) once it is `aheadSegments` past the last segment asked for,
// and continued when the player comes within half of that, so a film is not encoded (CPU, disk)
// far beyond what is watched; segments more than `keepBehindSegments` behind the player are
// deleted, so the temp dir holds a few minutes, not the film. A stream with no request for `idleMs` loses its ffmpeg and its dir;
// so does every stream when the process exits. If the server is killed outright, its ffmpegs die
// on their next progress line (the pipe to us is gone); the next start kills any still there (a
// paused one writes nothing) and removes their dirs.
// A copied HEVC picture is written as fMP4: each run also writes its own init segment (the same
// bytes every time); the first whole one is what `segment(INIT_SEGMENT)` serves.
// Each run takes a slot of the global ffmpeg cap (ffmpeg-slots.ts) and keeps it across restarts;
// the slot goes back when the stream's ffmpeg is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { access, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { transcodeCost, type FfmpegSlot } from './ffmpeg-slots.js';
import { buildHlsArgs, buildHlsCopyArgs, COPY_LIST, HLS_SEGMENT_SECONDS } from './hls-args.js';
import { DIR_PREFIX, PID_FILE } from './hls-dirs.js';
import { segmentDurations } from './hls-playlist.js';
import { INIT_SEGMENT, type HlsEvents, type HlsOptions, type HlsStreamSpec, type SegmentResult } from './hls-types.js';

export type HlsStreamOptions = Required<Omit<HlsOptions, 'maxStreams'>>;

// Jellyfin restarts when a request is more than 24 s ahead of the encoder: closer, it just waits.
const AHEAD_SEGMENTS = Math.ceil(24 / HLS_SEGMENT_SECONDS);
const SEGMENT_FILE = { ts: /^(\d+)\.ts$/, m4s: /^(\d+)\.m4s$/ };

type Waiter = (r: SegmentResult) => void;

const BUSY: SegmentResult = { ok: false, status: 503, reason: 'the server is transcoding all it can: try again' };

/** A file's modification time (ms), -1 if there is none. */
const mtime = (path: string): Promise<number> => stat(path).then((s) => s.mtimeMs, () => -1);

/** Whether an fMP4 init segment is whole: top-level boxes that fill the file, a moov among them. */
export async function wholeInit(path: string): Promise<boolean> {
  const b = await readFile(path).catch(() => null);
  if (!b) return false;
  let off = 0;
  let moov = false;
  while (off + 8 <= b.length) {
    const size = b.readUInt32BE(off);
    if (size < 8 || off + size > b.length) return false;
    if (b.toString('latin1', off + 4, off + 8) === 'moov') moov = true;
    off += size;
  }
  return moov && off === b.length;
}

/** Each run writes its own init segment (one being served is never rewritten in place). */
const initName = (run: number) => `init-${run}.mp4`;

export class HlsStream {
  readonly dir: string;
  readonly count: number;
  lastUsed = Date.now();
  private proc: ChildProcess | null = null;
  private runStart = 0;
  /** Highest segment the current run has finished (runStart - 1 before its first). */
  private made = -1;
  private readonly done = new Set<number>();
  private readonly waiters = new Map<number, Set<Waiter>>();
  private readonly watcher: FSWatcher;
  private idle: NodeJS.Timeout | null = null;
  private closed = false;
  /** The last segment the player asked for, and whether ffmpeg is stopped because it is far past it. */
  private asked = 0;
  private paused = false;
  /** A copy run's list file: a new name per run, so a killed run's lines never count for the next. */
  private list = COPY_LIST;
  private runs = 0;
  /** fMP4: the init segment of the first run that wrote one (every run writes the same bytes). */
  private init: string | null = null;
  /** The ended run's final list read, while it is in progress. */
  private finishing: Promise<void> | null = null;
  private runStartedAt = 0;
  private listBusy = false;
  private listAgain = false;
  private readonly ext: 'ts' | 'm4s';
  /** This stream's place under the ffmpeg cap, held while a run is on (restarts keep it). */
  private slot: FfmpegSlot | null = null;

  constructor(readonly spec: HlsStreamSpec, private readonly opts: HlsStreamOptions, private readonly events: EventEmitter<HlsEvents>, private readonly onClosed: () => void) {
    this.dir = mkdtempSync(join(opts.tmpRoot, `${DIR_PREFIX}${process.pid}-`));
    if (spec.fmp4 && !spec.starts) throw new Error('fMP4 HLS segments are made for a copied picture only');
    this.ext = spec.fmp4 ? 'm4s' : 'ts';
    this.count = spec.starts ? spec.starts.length : segmentDurations(spec.duration, HLS_SEGMENT_SECONDS).length;
    // Re-encoding (hls muxer, temp_file): ffmpeg renames <n>.ts.tmp to <n>.ts when the segment is
    // whole. Copying (segment muxer): a line in its list says so.
    this.watcher = watch(this.dir, (_event, name) => {
      if (this.spec.starts) {
        // A segment file opened means the one before it is closed (see readList).
        if (String(name) === this.list || (name && SEGMENT_FILE[this.ext].test(String(name)))) this.scheduleList();
        return;
      }
      const m = name ? SEGMENT_FILE[this.ext].exec(String(name)) : null;
      if (m) void this.found(Number(m[1]));
    });
    this.watcher.on('error', () => {});
    this.touch();
  }

  /** `run`: the copy run whose list names n; its word no longer counts once a later run rewrites n. */
  private async found(n: number, run?: number): Promise<void> {
    const stale = () => run !== undefined && run !== this.runs && n >= this.runStart;
    if (stale()) return;
    if (this.done.has(n)) {
      // Made again by a later run (re-encoding writes atomically): still counts as its progress.
      if (n >= this.runStart && n > this.made && this.proc) this.made = n;
      return;
    }
    try {
      await access(this.path(n));
    } catch {
      return;
    }
    // A restart while we looked: the new run may be writing n afresh (in place).
    if (this.closed || stale()) return;
    this.done.add(n);
    if (n >= this.runStart && n > this.made) this.made = n;
    this.settle(n, { ok: true, path: this.path(n) });
    if (this.proc && !this.paused && this.made - this.asked >= this.opts.aheadSegments) {
      this.paused = this.proc.kill('SIGSTOP');
      if (this.paused) this.events.emit('paused', { key: this.spec.key, made: this.made, asked: this.asked });
    }
  }

  /** One list read at a time for watcher events (a segment file changes on every write). */
  private scheduleList(): void {
    if (this.listBusy) return void (this.listAgain = true);
    this.listBusy = true;
    void this.readList().finally(() => {
      this.listBusy = false;
      if (this.listAgain) (this.listAgain = false), this.scheduleList();
    });
  }

  /** Copy runs: the segment muxer lists a segment before it closes (flushes) the file, and opens
   *  the next one only after: a listed segment is whole once this run has opened the next file
   *  (a file left by an earlier run is older than this run), or once the run is over (`ended`). */
  private async readList(ended = false): Promise<void> {
    const run = this.runs;
    const text = await readFile(join(this.dir, this.list), 'latin1').catch(() => '');
    for (const line of text.split('\n')) {
      const m = SEGMENT_FILE[this.ext].exec(line.split(',')[0] ?? '');
      if (!m) continue;
      // The segment muxer writes and closes the header file before it opens the first segment:
      // once one of its segments is listed, the run's init segment is whole.
      // Checked too: under load a list line was seen before the header file held its whole moov.
      if (this.spec.fmp4 && !this.init && !this.closed && run === this.runs && (await wholeInit(join(this.dir, initName(run))))) {
        this.init = join(this.dir, initName(run));
        this.settle(INIT_SEGMENT, { ok: true, path: this.init });
      }
      // A list read before a restart finishes after it: its lines for segments the new run
      // rewrites in place must not mark them whole (they may be empty or half-written now).
      const n = Number(m[1]);
      if (!ended && !this.done.has(n) && !((await mtime(this.path(n + 1))) >= this.runStartedAt)) continue;
      await this.found(n, run);
    }
  }

  /** Deletes finished segments far behind the player (unlinking one being sent is fine). */
  private prune(n: number): void {
    const before = n - this.opts.keepBehindSegments;
    for (const k of this.done) {
      if (k >= before) continue;
      this.done.delete(k);
      void rm(this.path(k), { force: true }).catch(() => {});
    }
  }

  private path(n: number): string {
    return join(this.dir, `${n}.${this.ext}`);
  }

  private settle(n: number, r: SegmentResult): void {
    const ws = this.waiters.get(n);
    if (!ws) return;
    this.waiters.delete(n);
    for (const w of ws) w(r);
  }

  touch(): void {
    this.lastUsed = Date.now();
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => (this.waiters.size > 0 ? this.touch() : this.close('idle')), this.opts.idleMs);
    this.idle.unref();
  }

  segment(n: number, signal: AbortSignal): Promise<SegmentResult> {
    this.touch();
    if (n === INIT_SEGMENT) return this.initSegment(signal);
    if (n < 0 || n >= this.count) return Promise.resolve({ ok: false, status: 404, reason: 'no such segment' });
    this.asked = n;
    this.prune(n);
    if (this.paused && this.proc && this.made - n < this.opts.aheadSegments / 2) {
      this.paused = false;
      this.proc.kill('SIGCONT');
      this.events.emit('resumed', { key: this.spec.key, made: this.made, asked: n });
    }
    if (this.done.has(n)) return Promise.resolve({ ok: true, path: this.path(n) });
    const reachable = this.proc !== null && n >= this.runStart && n <= this.made + 1 + AHEAD_SEGMENTS;
    // The last run just ended: what it made is being picked up; ask again after that.
    if (!reachable && this.finishing) return this.finishing.then(() => (signal.aborted ? { ok: false, status: 503, reason: 'client gone' } : this.segment(n, signal)));
    if (!reachable && !this.run(n)) return Promise.resolve(BUSY);
    return this.wait(n, signal);
  }

  /** The fMP4 init segment: any run writes it first; with none running, one starts at segment 0
   *  (where a player that fetches the init segment first most likely begins). */
  private initSegment(signal: AbortSignal): Promise<SegmentResult> {
    if (!this.spec.fmp4) return Promise.resolve({ ok: false, status: 404, reason: 'no init segment (MPEG-TS segments)' });
    if (this.init) return Promise.resolve({ ok: true, path: this.init });
    if (!this.proc && this.finishing) return this.finishing.then(() => (signal.aborted ? { ok: false, status: 503, reason: 'client gone' } : this.initSegment(signal)));
    if (!this.proc && !this.run(0)) return Promise.resolve(BUSY);
    return this.wait(INIT_SEGMENT, signal);
  }

  private wait(n: number, signal: AbortSignal): Promise<SegmentResult> {
    return new Promise((resolve) => {
      const w: Waiter = (r) => (signal.removeEventListener('abort', gone), this.touch(), resolve(r));
      const gone = () => {
        this.waiters.get(n)?.delete(w);
        if (this.waiters.get(n)?.size === 0) this.waiters.delete(n);
        resolve({ ok: false, status: 503, reason: 'client gone' });
      };
      signal.addEventListener('abort', gone, { once: true });
      let set = this.waiters.get(n);
      if (!set) this.waiters.set(n, (set = new Set()));
      set.add(w);
      // It may have been finished between the check above and now (a copy run's file exists while
      // being written: only its list says it is whole).
      void (this.spec.starts ? this.readList() : this.found(n));
    });
  }

  /** (Re)start ffmpeg at segment n; the segments made so far stay (same timeline). False when
   *  the ffmpeg cap is full (a restart keeps the slot of the run it replaces). */
  private run(n: number): boolean {
    // A copy run (videoCodec 'copy': keyframe-cut segments) encodes no video: it costs a fraction.
    this.slot ??= this.opts.slots.tryTake(transcodeCost(this.spec.plan.videoCodec)) ?? null;
    if (!this.slot) {
      this.opts.log.warn('hls transcode refused', { stream: this.spec.label, reason: `all ${this.opts.slots.max} ffmpeg slots busy` });
      return false;
    }
    this.stopProc();
    // A copy run rewrites <k>.ts in place from k = n on: until its list says so, those are not whole.
    if (this.spec.starts) for (const k of this.done) if (k >= n) this.done.delete(k);
    this.list = `${++this.runs}-${COPY_LIST}`;
    // Before the spawn. File times come from a coarser clock and may read a little earlier: then a
    // segment is taken as whole at a later write to the next one (it lags, never passes too soon).
    this.runStartedAt = Date.now();
    const source = this.spec.source ? { source: this.spec.source } : {};
    const init = this.spec.fmp4 ? { init: initName(this.runs) } : {};
    const args = this.spec.starts
      ? buildHlsCopyArgs(this.spec.plan, { startSegment: n, starts: this.spec.starts, dir: this.dir, list: this.list, ...init, ...source, ...(this.spec.keyframes ? { keyframes: this.spec.keyframes } : {}) })
      : buildHlsArgs(this.spec.plan, { startSegment: n, dir: this.dir, ...source });
    // -progress to a pipe we drain: if this process dies without stopping ffmpeg, its next
    // progress write fails (SIGPIPE) and it ends, instead of encoding on for nobody.
    const argv = [...args.input, '-progress', 'pipe:1', '-i', this.spec.inputPath, ...args.output, args.target];
    const child = spawn(this.opts.ffmpegPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.resume();
    if (child.pid !== undefined) writeFileSync(join(this.dir, PID_FILE), String(child.pid));
    this.proc = child;
    this.runStart = n;
    this.made = n - 1;
    this.asked = n;
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.on('error', (err) => this.opts.log.error('hls ffmpeg failed to start', { stream: this.spec.label, reason: err.message }));
    if (child.pid !== undefined) this.events.emit('start', { key: this.spec.key, pid: child.pid, startSegment: n, dir: this.dir });
    this.opts.log.info('hls transcode', { stream: this.spec.label, from: this.spec.starts?.[n] ?? n * HLS_SEGMENT_SECONDS });
    child.on('close', (code, signal) => {
      if (child.pid !== undefined) this.events.emit('exit', { key: this.spec.key, pid: child.pid, code, signal });
      if (this.proc !== child) return; // replaced by a restart: its waiters belong to the new run
      this.proc = null;
      this.releaseSlot();
      if (code !== 0 && signal === null) this.opts.log.warn('hls ffmpeg failed', { stream: this.spec.label, code, stderr: stderr.trim().split('\n').slice(-3).join(' | ') });
      // Whatever it did not make by now, it never will: a later request starts a new run. Until
      // its last segments are picked up, requests wait for that instead of starting a run (a run
      // started meanwhile owns the waiters: they are not failed for the old one).
      const finishing = this.rescan().then(() => {
        if (this.finishing === finishing) this.finishing = null;
        if (this.proc !== null) return;
        for (const n of [...this.waiters.keys()]) this.settle(n, { ok: false, status: code === 0 ? 404 : 500, reason: code === 0 ? 'segment not produced' : 'transcode failed' });
      });
      this.finishing = finishing;
    });
    return true;
  }

  /** Picks up renames the watcher may still have queued when ffmpeg exits. */
  private async rescan(): Promise<void> {
    if (this.spec.starts) await this.readList(true);
    else await Promise.all([...this.waiters.keys()].map((n) => this.found(n)));
  }

  /** SIGKILL, not SIGTERM: on SIGTERM ffmpeg ends cleanly, which closes (renames, lists) the segment
   *  it was in the middle of, and a cut-short segment would pass for a whole one. */
  private stopProc(): void {
    const p = this.proc;
    this.proc = null;
    this.paused = false;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGKILL');
  }

  private releaseSlot(): void {
    this.slot?.release();
    this.slot = null;
  }

  /** Synchronous, so it also works in a process 'exit' handler. */
  close(why: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idle) clearTimeout(this.idle);
    const p = this.proc;
    this.stopProc();
    this.watcher.close();
    for (const n of [...this.waiters.keys()]) this.settle(n, { ok: false, status: 503, reason: 'stream closed' });
    const finish = () => {
      this.releaseSlot();
      rmSync(this.dir, { recursive: true, force: true });
      this.spec.release();
      this.opts.log.info('hls stream closed', { stream: this.spec.label, why });
      this.events.emit('closed', { key: this.spec.key, dir: this.dir });
    };
    // The dir goes once ffmpeg is gone (it would write into it again), at once on exit.
    if (p && p.exitCode === null && p.signalCode === null && why !== 'exit') p.once('close', finish);
    else finish();
    this.onClosed();
  }
}
