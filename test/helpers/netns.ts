// A fresh network namespace for tests that multicast (mDNS discovery): nothing they send can
// leave the machine, and parallel test files cannot hear each other. A vitest worker cannot enter a
// namespace itself, so the processes under test are started inside with `ip netns exec` (which
// execs the command: the child's pid is the program's own). Needs root and iproute2.
//
// Inside: `lo` up with multicast, and by default a veth pair v0 10.77.0.1/24 ↔ v1 10.77.0.2/24 with
// the multicast route on v0: two addresses that are not loopback, which libraries that skip
// loopback (bonjour-service's publish, node-ssdp) need [docs/testing.md "Principles"].
// Without the veth, multicast runs on lo alone (addr = 127.0.0.1).
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface NetnsOptions {
  /** Add the veth pair (default true). */
  veth?: boolean;
}

export interface Netns {
  readonly name: string;
  /** Where a service inside should listen: 10.77.0.1 (v0), or 127.0.0.1 without the veth. */
  readonly addr: string;
  /** A second address, as another machine on the same LAN: 10.77.0.2 (v1), or 127.0.0.1. */
  readonly peerAddr: string;
  /** Starts a program inside the namespace; close() stops it if it is still running. */
  spawn(cmd: string, args: string[], opts?: SpawnOptions): ChildProcess;
  /** Runs a program inside to completion. */
  run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Stops every process it started (SIGTERM, then SIGKILL after `graceMs`) and deletes the namespace. */
  close(graceMs?: number): Promise<void>;
}

let counter = 0;
const live = new Map<string, Set<ChildProcess>>();

// A crashed test run must not leave namespaces behind.
process.once('exit', () => {
  for (const [name, children] of live) {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    spawnSync('ip', ['netns', 'delete', name]);
  }
});

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

function exited(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => c.once('exit', () => resolve()));
}

export async function createNetns(opts: NetnsOptions = {}): Promise<Netns> {
  const veth = opts.veth !== false;
  const name = `hc-${process.pid}-${++counter}`;
  ip(['netns', 'add', name]);
  const children = new Set<ChildProcess>();
  live.set(name, children);
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'multicast', 'on']);
    if (veth) {
      ip(['-n', name, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
      ip(['-n', name, 'addr', 'add', '10.77.0.1/24', 'dev', 'v0']);
      ip(['-n', name, 'addr', 'add', '10.77.0.2/24', 'dev', 'v1']);
      ip(['-n', name, 'link', 'set', 'v0', 'up']);
      ip(['-n', name, 'link', 'set', 'v1', 'up']);
    }
    ip(['-n', name, 'route', 'add', '224.0.0.0/4', 'dev', veth ? 'v0' : 'lo']);
  } catch (err) {
    live.delete(name);
    spawnSync('ip', ['netns', 'delete', name]);
    throw err;
  }

  const start = (cmd: string, args: string[], o: SpawnOptions = {}): ChildProcess => {
    const child = spawn('ip', ['netns', 'exec', name, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...o });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };

  return {
    name,
    addr: veth ? '10.77.0.1' : '127.0.0.1',
    peerAddr: veth ? '10.77.0.2' : '127.0.0.1',
    spawn: start,
    run(cmd, args) {
      const child = start(cmd, args);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
    async close(graceMs = 3000) {
      const running = [...children];
      for (const c of running) c.kill('SIGTERM');
      const kill = setTimeout(() => running.forEach((c) => c.kill('SIGKILL')), graceMs);
      await Promise.all(running.map(exited));
      clearTimeout(kill);
      live.delete(name);
      ip(['netns', 'delete', name]);
    },
  };
}

/** Runs `fn` with a fresh namespace and always cleans it up. */
export async function withNetns<T>(fn: (ns: Netns) => Promise<T>, opts?: NetnsOptions): Promise<T> {
  const ns = await createNetns(opts);
  try {
    return await fn(ns);
  } finally {
    await ns.close();
  }
}
