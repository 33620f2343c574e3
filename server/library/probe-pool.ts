// Spreads probe jobs over worker threads, a bounded number in flight per worker (I/O waits
// overlap). With workers = 0, or when running from TypeScript sources (tests), probes inline.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LibraryProbeJob, ProbeContext } from './probe.js';
import type { ProbeResult } from './probe-types.js';
import { releaseMemorySoon } from '../util/release-memory.js';

export interface ProbePool {
  probe(job: LibraryProbeJob): Promise<ProbeResult>;
  /** How many probes may usefully be in flight at once. */
  readonly capacity: number;
  /** Starts the workers ahead of the first probe (they take a moment to boot). */
  warm(): void;
  /** No scan needs the workers now (the scanner's queue is empty): stop them without the linger. */
  idle(): void;
  close(): Promise<void>;
}

const perWorker = 16;
const idleMs = 5_000;
/** Past this, a probe counts as failed and the scan goes on: a backstop for a parser that hangs (ffprobe and ffmpeg have their own limits, 60 s and 30 s). */
const jobTimeoutMs = 300_000;
const timedOut: ProbeResult = { ok: false, error: `probe timed out after ${jobTimeoutMs / 1000} s` };

export function createProbePool(ctx: ProbeContext, workers: number): ProbePool {
  const script = new URL('./probe-worker.js', import.meta.url);
  if (workers <= 0 || !existsSync(fileURLToPath(script))) {
    // Inline: the parsers load on first use, so a server that never scans never holds them.
    let prober: Promise<(job: LibraryProbeJob) => Promise<ProbeResult>> | undefined;
    const probe = async (job: LibraryProbeJob) => {
      prober ??= import('./probe.js').then((m) => m.createProber(ctx));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<ProbeResult>((resolve) => (timer = setTimeout(() => resolve(timedOut), jobTimeoutMs)));
      return Promise.race([(await prober)(job), late]).finally(() => clearTimeout(timer));
    };
    return { probe, capacity: perWorker, warm: () => {}, idle: () => {}, close: async () => {} };
  }
  type Thread = { worker: Worker; inFlight: number };
  const pending = new Map<number, { resolve: (r: ProbeResult) => void; thread: Thread; timer: NodeJS.Timeout }>();
  const settle = (id: number, result: ProbeResult): void => {
    const p = pending.get(id);
    if (!p) return; // answered after its timeout: already counted as failed
    pending.delete(id);
    clearTimeout(p.timer);
    p.thread.inFlight--;
    if (pending.size === 0) scheduleStop();
    p.resolve(result);
  };
  let nextId = 0;
  let threads: Thread[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  const start = (t: Thread): void => {
    t.worker = new Worker(script, { workerData: ctx });
    t.worker.unref();
    t.worker.on('message', (msg: { id: number; result: ProbeResult }) => settle(msg.id, msg.result));
    t.worker.on('error', (err) => {
      // A crashed worker fails its own jobs with the reason and is replaced; the scan goes on.
      for (const [id, p] of pending) {
        if (p.thread !== t) continue;
        pending.delete(id);
        clearTimeout(p.timer);
        p.resolve({ ok: false, error: `probe worker crashed: ${err.message}` });
      }
      t.inFlight = 0;
      start(t);
    });
  };
  const warm = (): void => {
    if (pending.size === 0) scheduleStop(); // a warm-up that no probe follows still ends
    if (threads.length) return;
    threads = Array.from({ length: workers }, () => {
      const t = { inFlight: 0 } as Thread;
      start(t);
      return t;
    });
  };
  // Workers hold tens of MB each (parsers, JIT code): stop them when no scan needs them (idle(),
  // or idleMs after the last probe; the idle RSS after a scan was read while they still lived).
  const stopAll = async (): Promise<void> => {
    const old = threads;
    threads = [];
    await Promise.all(old.map((t) => t.worker.terminate()));
    if (old.length) releaseMemorySoon();
  };
  const scheduleStop = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void stopAll(), idleMs);
    idleTimer.unref();
  };
  return {
    capacity: workers * perWorker,
    warm,
    idle() {
      if (pending.size === 0) (clearTimeout(idleTimer), void stopAll());
    },
    probe(job) {
      warm();
      clearTimeout(idleTimer);
      const thread = threads.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      thread.inFlight++;
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle(id, timedOut), jobTimeoutMs);
        timer.unref();
        pending.set(id, { resolve, thread, timer });
        thread.worker.postMessage({ id, job });
      });
    },
    async close() {
      clearTimeout(idleTimer);
      await stopAll();
    },
  };
}
