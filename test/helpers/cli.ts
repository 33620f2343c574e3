// The command-line remote (built dist/server/cli/main.js) as a person runs it against a server,
// on this machine or inside a test's network namespace (where a server started with `netns` is
// the only place it can be reached). PORT and HOST are left out so only --server counts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Netns } from './netns.js';
import { projectRoot } from './paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `token`: the device token the CLI signs in with (HOMECAST_TOKEN), e.g. a RunningServer's. */
export function runCli(args: string[], o: { server: string; token?: string | undefined; netns?: Netns; cwd?: string }): Promise<CliRun> {
  const { PORT: _p, HOST: _h, ...rest } = process.env;
  const env = o.token ? { ...rest, HOMECAST_TOKEN: o.token } : rest;
  const argv = [join(projectRoot, 'dist/server/cli/main.js'), ...args, '--server', o.server];
  const opts = { cwd: o.cwd ?? projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  const child = o.netns ? o.netns.spawn(process.execPath, argv, opts) : spawn(process.execPath, argv, opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

/** A command that must succeed: its stdout (the test fails naming the command, with its stderr, when it does not). */
export async function cliOk(args: string[], o: Parameters<typeof runCli>[1]): Promise<string> {
  const r = await runCli(args, o);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  return r.stdout;
}
