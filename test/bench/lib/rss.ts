// Resident memory of a process, from /proc (Linux).
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** VmRSS in MiB, or null when the process is gone. */
export async function rssMiB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status && /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : null;
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
