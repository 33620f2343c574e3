// Our server (dist/server/main.js) as a benchmark subject, read through its stdout contract:
//   "... listening ... port=<N> url=<http://...>"  when ready
//   "... scan finished library=<name> files=<N> probed=<N> errors=<N> seconds=<float>"  per library scan
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../helpers/paths.js';
import { start, type Tracked } from './proc.js';

export const serverMain = join(projectRoot, 'dist/server/main.js');

/** Node flags for our server: BENCH_CPU_PROF=<dir> writes a CPU profile there when it stops. */
export const serverNodeFlags = (): string[] => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

export interface OurServer {
  proc: Tracked;
  port: number;
  url: string;
}

export interface ScanFinished {
  files: number;
  probed: number;
  errors: number;
  /** The server's own figure. */
  seconds: number;
  /** From process start to the line, in ms. */
  sinceStartMs: number;
}

/** key=value fields of a log line (values may be JSON-quoted). */
export function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) out[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
  return out;
}

export interface Library {
  name: string;
  path: string;
  kind: 'music' | 'video' | 'photo' | 'mixed';
}

/** The server's own "listening" line: not "sendspin listening" (its Sendspin port), logged before it. */
export const MAIN_LISTENING = /^\S+ \S+ listening /;

/** `watch`: the library watcher on (off by default: scans are timed from the start only). */
export async function startOurs(dataDir: string, libraries: Library[], opts: { watch?: boolean } = {}): Promise<OurServer> {
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing: build first (npx tsc -p tsconfig.json)`);
  await mkdir(dataDir, { recursive: true });
  const configFile = join(dataDir, 'bench-config.json');
  await writeFile(configFile, JSON.stringify({ port: 0, host: '127.0.0.1', dataDir, libraries, scan: { watch: opts.watch ?? false }, discovery: { mdns: false }, sendspin: { port: 0 }, auth: { mode: 'lan-open' } }, null, 2));
  const proc = start('our server', process.execPath, [...serverNodeFlags(), serverMain, '--config', configFile], { cwd: projectRoot });
  try {
    const { line } = await proc.waitFor(MAIN_LISTENING, 30_000);
    const f = fields(line);
    const port = Number(f.port);
    return { proc, port, url: f.url?.replace(/\/$/, '') ?? `http://127.0.0.1:${port}` };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

export async function waitScanFinished(s: OurServer, library: string, timeoutMs: number): Promise<ScanFinished> {
  const { line, at } = await s.proc.waitFor(new RegExp(` scan finished .*library=${library}( |$)`), timeoutMs);
  const f = fields(line);
  return {
    files: Number(f.files), probed: Number(f.probed), errors: Number(f.errors), seconds: Number(f.seconds),
    sinceStartMs: at - s.proc.startedAt,
  };
}
