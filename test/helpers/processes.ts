// Processes seen through /proc: which children a process (the server under test) has running.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the running processes named `comm` (e.g. "ffmpeg") whose parent is `ppid`. */
export function childrenNamed(ppid: number, comm: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat);
      // A zombie (Z) has exited: only its parent has not reaped it yet.
      if (m && m[1] === comm && m[2] !== 'Z' && Number(m[3]) === ppid) out.push(Number(pid));
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}
