// CPU time of processes from /proc (Linux): utime + stime of a pid, and the pids whose parent is a
// given pid (this kernel has no /proc/<pid>/task/<tid>/children, so /proc is walked).
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ: 100 on every Linux port that matters). */
const TICKS = 100;

interface Stat {
  ppid: number;
  /** utime + stime, in ms. */
  cpuMs: number;
}

function stat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { ppid: Number(f[1]), cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS };
}

/** utime + stime of `pid` in ms, or null when it is gone. */
export function cpuMsOf(pid: number): number | null {
  return stat(pid)?.cpuMs ?? null;
}

/** Pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (stat(Number(name))?.ppid === pid) out.push(Number(name));
  }
  return out;
}

/**
 * CPU used by a fixed set of processes between start() and stop(), in ms: each pid's time at
 * stop minus its time at start (a pid that exited in between counts as what it had at start).
 */
export function cpuOver(pids: number[]): { stop(): number } {
  const before = new Map(pids.map((p) => [p, cpuMsOf(p)] as const));
  return {
    stop: () => [...before].reduce((sum, [p, t0]) => sum + Math.max(0, (cpuMsOf(p) ?? t0 ?? 0) - (t0 ?? 0)), 0),
  };
}
