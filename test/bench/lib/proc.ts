// Child processes for the benchmark: each in its own process group (so a forked helper dies with
// it), its output read line by line, timestamps taken when a line arrives, and every one stopped
// on exit, on Ctrl-C and on errors. Nothing here uses a shell.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Tracked {
  name: string;
  pid: number;
  /** performance.now() at spawn. */
  startedAt: number;
  lines: string[];
  /** The first line (seen or coming) matching `pattern` after line index `after`, and when it arrived. */
  waitFor(pattern: RegExp, timeoutMs: number, after?: number): Promise<{ line: string; at: number }>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** `evenIfLeaderExited`: also reach what the leader left behind in its group (minidlna's forked scanner). */
function killGroup(p: ChildProcess, signal: NodeJS.Signals, evenIfLeaderExited = false): void {
  if (p.pid === undefined || (!evenIfLeaderExited && (p.exitCode !== null || p.signalCode !== null))) return;
  try {
    process.kill(-p.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Stops everything still running (synchronous: usable from an 'exit' handler). */
export function killAll(): void {
  for (const p of live) killGroup(p, 'SIGKILL');
}
process.once('exit', killAll);

export function start(name: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Tracked {
  const startedAt = performance.now();
  const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(p);
  // 'close' (not 'exit'): the last output has been read by then.
  const exited = new Promise<number | null>((resolve) => {
    p.once('close', (code) => (live.delete(p), resolve(code)));
    p.once('error', () => (live.delete(p), resolve(null)));
  });
  const lines: string[] = [];
  const stamps: number[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [p.stdout!, p.stderr!]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const now = performance.now();
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop()!;
      for (const l of parts) (lines.push(l), stamps.push(now));
      for (const w of waiters) w();
    });
    stream.on('end', () => partial && (lines.push(partial), stamps.push(performance.now()), (partial = '')));
  }

  const waitFor = (pattern: RegExp, timeoutMs: number, after = 0) =>
    new Promise<{ line: string; at: number }>((resolve, reject) => {
      let settled = false;
      const check = () => {
        for (let i = after; i < lines.length && !settled; i++) {
          if (pattern.test(lines[i]!)) return done(() => resolve({ line: lines[i]!, at: stamps[i]! }));
        }
      };
      const fail = (why: string) => done(() => reject(new Error(`${name}: ${why} waiting for ${pattern}; last lines:\n  ${lines.slice(-8).join('\n  ')}`)));
      const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
      const done = (f: () => void) => (clearTimeout(timer), waiters.delete(check), (settled = true), f());
      waiters.add(check);
      void exited.then((code) => {
        check();
        if (!settled) fail(`exited (${code})`);
      });
      check();
    });

  const stop = async () => {
    killGroup(p, 'SIGTERM');
    const t = setTimeout(() => killGroup(p, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    killGroup(p, 'SIGKILL', true);
  };
  return { name, pid: p.pid ?? -1, startedAt, lines, waitFor, exited, stop };
}
