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

/** RSS once it has settled: sampled every 500 ms until two samples agree within 1 % (at most `maxMs`). */
export async function settledRssMiB(pid: number, maxMs = 8000): Promise<number | null> {
  let last = await rssMiB(pid);
  for (const end = Date.now() + maxMs; Date.now() < end; ) {
    await sleep(500);
    const now = await rssMiB(pid);
    if (now === null || last === null) return now;
    if (Math.abs(now - last) <= last * 0.01) return now;
    last = now;
  }
  return last;
}
