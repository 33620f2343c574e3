// Runs the real server (built dist/server/main.js) as a child process on a random loopback
// port, with its own config and data folder, and reads its log lines to know what happened.
// With `netns` it runs inside that namespace: its url (and get) are then reachable only from there.
import { spawn, type ChildProcess, type SpawnOptionsWithStdioTuple } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from './netns.js';
import { projectRoot } from './paths.js';

export interface RunningServer {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first log line (already seen or coming) that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number, after?: number): Promise<string>;
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export interface StartOptions {
  config: Record<string, unknown>;
  dataDir?: string;
  env?: Record<string, string>;
  /** Extra arguments; the config file is always passed with --config. */
  args?: string[];
  /** Run inside this network namespace (test/helpers/netns.ts). */
  netns?: Netns;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hc-data-'));
  const configFile = join(mkdtempSync(join(tmpdir(), 'hc-config-')), 'config.json');
  writeFileSync(configFile, JSON.stringify({ host: '127.0.0.1', port: 0, dataDir, sendspin: { port: 0 }, dlna: { enabled: false }, ...opts.config }, null, 2));
  const args = [join(projectRoot, 'dist/server/main.js'), '--config', configFile, ...(opts.args ?? [])];
  const spawnOptions: SpawnOptionsWithStdioTuple<'ignore', 'pipe', 'pipe'> = { cwd: projectRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] };
  const proc = opts.netns ? opts.netns.spawn(process.execPath, args, spawnOptions) : spawn(process.execPath, args, spawnOptions);
  running.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => (running.delete(proc), resolve())));
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; after: number; resolve: (l: string) => void }>();
  let partial = '';
  const onData = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (process.env.SERVER_LOG) process.stderr.write(`[server ${proc.pid}] ${line}\n`);
      for (const w of waiters) if (lines.length > w.after && w.pattern.test(line)) (waiters.delete(w), w.resolve(line));
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);

  const waitForLine = (pattern: RegExp, timeoutMs = 20_000, after = 0): Promise<string> => {
    const seen = lines.slice(after).find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pattern, after, resolve: (l: string) => (clearTimeout(t), resolve(l)) };
      const t = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`));
      }, timeoutMs);
      waiters.add(w);
      void exited.then(() => {
        if (!waiters.has(w)) return;
        waiters.delete(w);
        clearTimeout(t);
        reject(new Error(`server exited (code ${proc.exitCode}) before a line matching ${pattern}; last lines:\n${lines.slice(-15).join('\n')}`));
      });
    });
  };

  // The server's own line (its Sendspin port is logged as "sendspin ready").
  const listening = await waitForLine(/ info listening /);
  const port = Number(/port=(\d+)/.exec(listening)![1]);
  const url = `http://127.0.0.1:${port}`;
  return {
    url, port, pid: proc.pid!, dataDir, proc, lines, waitForLine,
    async get<T>(path: string) {
      const res = await fetch(url + path);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: body as T };
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits for the next "scan finished" line for a library (counting from line `after`). */
export function scanFinished(s: RunningServer, library: string, after = 0): Promise<string> {
  return s.waitForLine(new RegExp(` scan finished library=${library.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `), 60_000, after);
}

/** The port the server's Sendspin endpoint took (test servers take a free one). */
export async function sendspinPort(s: RunningServer): Promise<number> {
  return Number(/port=(\d+)/.exec(await s.waitForLine(/ sendspin ready /))![1]);
}
