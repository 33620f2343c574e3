// Resident memory of a process, from /proc (Linux).
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { childrenOf } from './cpu.js';

/** VmRSS in MiB, or null when the process is gone. */
export async function rssMiB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status && /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : null;
}

/** Peak of the summed RSS of `pid` and its children (minidlna's forked scanner), sampled every 200 ms until stop(). */
export function peakRss(pid: number): { stop(): number | null } {
  let peak: number | null = null;
  const sample = async () => {
    const all = await Promise.all([pid, ...childrenOf(pid)].map((p) => rssMiB(p)));
    const sum = all.reduce<number>((s, x) => s + (x ?? 0), 0);
    if (all[0] !== null) peak = Math.max(peak ?? 0, sum);
  };
  void sample();
  const timer = setInterval(() => void sample(), 200);
  return { stop: () => (clearInterval(timer), peak) };
}

/** RSS once it has settled: sampled every 500 ms until the samples of the last `holdMs` all lie
 *  within 1 % of each other (at most `maxMs`; then the last sample). Two samples 500 ms apart took
 *  a plateau for the idle figure: our server read 162 MiB 1 s after a 100k first scan and 117 MiB
 *  once V8 gave back its young generation (the server's settling collection, 6 s after the scan). */
export async function settledRssMiB(pid: number, opts: { holdMs?: number; maxMs?: number } = {}): Promise<number | null> {
  const { holdMs = 10_000, maxMs = 60_000 } = opts;
  const held: Array<{ at: number; mib: number }> = [];
  for (const start = Date.now(); ; await sleep(500)) {
    const mib = await rssMiB(pid);
    if (mib === null) return held.at(-1)?.mib ?? null;
    const at = Date.now();
    held.push({ at, mib });
    while (held.length > 1 && Math.max(...held.map((s) => s.mib)) > Math.min(...held.map((s) => s.mib)) * 1.01) held.shift();
    if (at - held[0]!.at >= holdMs || at - start >= maxMs) return mib;
  }
}
