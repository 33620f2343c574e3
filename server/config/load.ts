// Reads the config once at start-up: file (--config FILE, else ./config.json if present),
// then environment overrides (PORT, HOST, DATA_DIR). A bad value is one error naming the key.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { xdgLibraries } from './xdg.js';

export class ConfigError extends Error {}

export interface LoadOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function configPathFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--config');
  if (i === -1) return argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
  const path = argv[i + 1];
  if (!path || path.startsWith('--')) throw new ConfigError('--config needs a file path');
  return path;
}

function keyPath(path: PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = keyPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${key === '(top level)' ? '' : ` in ${key}`}`;
  return `"${key}": ${issue.message}`;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new ConfigError(`environment variable ${name}="${v}" must be a whole number`);
  return Number(v);
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const argv = opts.argv ?? process.argv.slice(2);
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();

  const explicit = configPathFromArgs(argv);
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, 'config.json');
  let raw: unknown = {};
  let source = 'defaults';
  if (explicit && !existsSync(file)) throw new ConfigError(`config file ${file} does not exist`);
  if (existsSync(file)) {
    source = file;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`config file ${file} must hold a JSON object`);

  const overridden: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const port = envNumber(env, 'PORT');
  if (port !== undefined) overridden.port = port;
  if (env.HOST) overridden.host = env.HOST;
  if (env.DATA_DIR) overridden.dataDir = env.DATA_DIR;

  const parsed = configSchema.safeParse(overridden);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`bad config (${source}): ${first ? describeIssue(first) : parsed.error.message}`);
  }
  const base = source === 'defaults' ? cwd : dirname(file);
  const c = parsed.data;
  const libraries = (c.libraries ?? xdgLibraries(env)).map((l) => ({ ...l, path: resolve(base, l.path) }));
  const names = new Set<string>();
  for (const [i, l] of libraries.entries()) {
    if (names.has(l.name)) throw new ConfigError(`bad config (${source}): "libraries[${i}].name": "${l.name}" is used twice`);
    names.add(l.name);
  }
  const remote = { ...c.remote, ...(c.remote.certFile && c.remote.keyFile ? { certFile: resolve(base, c.remote.certFile), keyFile: resolve(base, c.remote.keyFile) } : {}) };
  return { ...c, libraries, remote, dataDir: resolve(env.DATA_DIR ? cwd : base, c.dataDir), source };
}
