// Spreads probe jobs over worker threads, a bounded number in flight per worker (I/O waits
// overlap). With workers = 0, or when running from TypeScript sources (tests), probes inline.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createProber, type LibraryProbeJob, type ProbeContext } from './probe.js';
import type { ProbeResult } from './probe-types.js';

export interface ProbePool {
  probe(job: LibraryProbeJob): Promise<ProbeResult>;
  /** How many probes may usefully be in flight at once. */
  readonly capacity: number;
  close(): Promise<void>;
}

const perWorker = 16;

export function createProbePool(ctx: ProbeContext, workers: number): ProbePool {
  const script = new URL('./probe-worker.js', import.meta.url);
  if (workers <= 0 || !existsSync(fileURLToPath(script))) {
    const probe = createProber(ctx);
    return { probe, capacity: perWorker, close: async () => {} };
  }
  type Thread = { worker: Worker; inFlight: number };
  const pending = new Map<number, { resolve: (r: ProbeResult) => void; thread: Thread }>();
  let nextId = 0;
  const start = (t: Thread): void => {
    t.worker = new Worker(script, { workerData: ctx });
    t.worker.unref();
    t.worker.on('message', (msg: { id: number; result: ProbeResult }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      p.thread.inFlight--;
      p.resolve(msg.result);
    });
    t.worker.on('error', (err) => {
      // A crashed worker fails its own jobs with the reason and is replaced; the scan goes on.
      for (const [id, p] of pending) {
        if (p.thread !== t) continue;
        pending.delete(id);
        p.resolve({ ok: false, error: `probe worker crashed: ${err.message}` });
      }
      t.inFlight = 0;
      start(t);
    });
  };
  const threads: Thread[] = Array.from({ length: workers }, () => {
    const t = { inFlight: 0 } as Thread;
    start(t);
    return t;
  });
  return {
    capacity: workers * perWorker,
    probe(job) {
      const thread = threads.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      thread.inFlight++;
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve, thread });
        thread.worker.postMessage({ id, job });
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
