// Runs the real server (built dist/server/main.js) as a child process on a random loopback
// port, with its own config and data folder, and reads its log lines to know what happened.
// With `netns` it runs inside that namespace: its url (and get) are then reachable only from there.
// Accounts are on (auth.mode "accounts"): unless told not to (`signIn: false`), the helper does
// what the owner does on a first start (reads the setup link from the log, sets the password) or
// signs the owner in again (a restart on the same data), and keeps the owner's device token:
// `get`, `fetch`, `io` and `cookieFor` send it.
import { spawn, type ChildProcess, type SpawnOptionsWithStdioTuple } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { Netns } from './netns.js';
import { projectRoot } from './paths.js';

/** The owner every test server is set up with. */
export const OWNER = { name: 'Owner', password: 'owner-password-for-tests' } as const;
export const DEVICE_COOKIE = 'homecast_device';

export interface RunningServer {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first log line (already seen or coming) that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number, after?: number): Promise<string>;
  /** The owner's device token (undefined with signIn: false or in lan-open mode). */
  token: string | undefined;
  /** `Authorization: Bearer <owner token>` (empty without a token). */
  authHeaders: Record<string, string>;
  /** GET as the owner, the body parsed when it is JSON. */
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  /** fetch(url + path) as the owner (the caller's headers win). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A Socket.IO client signed in as the owner (websocket, no reconnection unless opts say). */
  io(opts?: Partial<ManagerOptions & SocketOptions>, url?: string): Socket;
  /** The owner's device cookie for a browser context at `url` (default: the server's url). */
  cookieFor(url?: string): { name: string; value: string; url: string; httpOnly: true; sameSite: 'Strict' }[];
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
  /** false: leave the first-run setup undone (tests of setup and sign-in). Default true. */
  signIn?: boolean;
}

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: unknown }>;

/** HTTP to the server, from here or (for a server in a namespace) from inside that namespace. */
function caller(url: string, netns: Netns | undefined): Call {
  return async (method, path, body, headers = {}) => {
    const init = { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    if (!netns) {
      const res = await fetch(url + path, init);
      const text = await res.text();
      return { status: res.status, body: parseMaybe(text) };
    }
    const script = `fetch(${JSON.stringify(url + path)}, ${JSON.stringify(init)}).then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, text: await r.text() })))`;
    const r = await netns.run(process.execPath, ['-e', script]);
    if (r.code !== 0) throw new Error(`request in ${netns.name} failed: ${r.stderr}`);
    const { status, text } = JSON.parse(r.stdout) as { status: number; text: string };
    return { status, body: parseMaybe(text) };
  };
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The owner's token from a server a test started itself (at `url`, from inside `netns` if given). */
export const ownerTokenAt = (url: string, netns: Netns | undefined, waitForLine: (p: RegExp) => Promise<string>) => ownerToken(caller(url, netns), waitForLine);

/** The owner's token: set up on a first start (the setup link's token is in the log), else signed in. */
async function ownerToken(call: Call, waitForLine: (p: RegExp) => Promise<string>): Promise<string | undefined> {
  const state = (await call('GET', '/api/auth/state')).body as { mode: string; setupNeeded: boolean };
  if (state.mode === 'lan-open') return undefined;
  const answer = state.setupNeeded
    ? await call('POST', '/api/auth/setup', { token: /setup#token=([\w-]+)/.exec(await waitForLine(/ first start: /))![1], ...OWNER, device: 'test', bearer: true })
    : await call('POST', '/api/auth/login', { ...OWNER, device: 'test', bearer: true });
  const token = (answer.body as { token?: string }).token;
  if (!token) throw new Error(`owner sign-in failed: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return token;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hc-data-'));
  const configFile = join(mkdtempSync(join(tmpdir(), 'hc-config-')), 'config.json');
  // SSDP (DLNA renderers) stays inside namespaces: off on the host unless a test says otherwise.
  const discovery = { ...(opts.netns ? {} : { ssdp: false }), ...(opts.config.discovery as object | undefined) };
  writeFileSync(configFile, JSON.stringify({ host: '127.0.0.1', port: 0, dataDir, sendspin: { port: 0 }, dlna: { enabled: false }, ...opts.config, discovery }, null, 2));
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
  // A server told to listen on one address answers only there.
  const listen = String(opts.config.host ?? '127.0.0.1');
  const call = caller(['0.0.0.0', '::', ''].includes(listen) ? url : `http://${listen.includes(':') ? `[${listen}]` : listen}:${port}`, opts.netns);
  const token = opts.signIn === false ? undefined : await ownerToken(call, waitForLine);
  const authHeaders: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return {
    url, port, pid: proc.pid!, dataDir, proc, lines, waitForLine, token, authHeaders,
    async get<T>(path: string) {
      const r = await call('GET', path, undefined, authHeaders);
      return r as { status: number; body: T };
    },
    fetch: (path, init = {}) => fetch(url + path, { ...init, headers: { ...authHeaders, ...(init.headers as Record<string, string> | undefined) } }),
    io: (o = {}, at = url) => ioClient(at, { transports: ['websocket'], reconnection: false, ...(token ? { auth: { token } } : {}), ...o }),
    cookieFor: (at = url) => (token ? [{ name: DEVICE_COOKIE, value: token, url: at, httpOnly: true, sameSite: 'Strict' }] : []),
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
