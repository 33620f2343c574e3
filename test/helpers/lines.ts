// Reads a child process's output as lines and waits for the one a test needs.
import type { ChildProcess } from 'node:child_process';

export interface LineReader {
  lines: string[];
  /** First line (from index `after` on) matching `pattern`; rejects on timeout or exit. */
  wait(pattern: RegExp, timeoutMs?: number, after?: number): Promise<string>;
  /** JSON lines only, parsed. */
  json<T = Record<string, unknown>>(): T[];
}

export function readLines(child: ChildProcess, label: string): LineReader {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let exited = false;
  const onData = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      if (process.env.SERVER_LOG) process.stderr.write(`[${label}] ${l}\n`);
    }
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', () => {
    exited = true;
    for (const w of waiters) w();
  });
  return {
    lines,
    json<T>() {
      return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as T);
    },
    wait(pattern, timeoutMs = 20_000, after = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.slice(after).find((l) => pattern.test(l));
          if (hit !== undefined) return done(() => resolve(hit));
          if (exited) return done(() => reject(new Error(`${label} exited before a line matching ${pattern}; last lines:\n${lines.slice(-12).join('\n')}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${label}: no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-12).join('\n')}`))), timeoutMs);
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
