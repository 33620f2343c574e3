// The CLI's device tokens, one per server, in the user's XDG config dir
// ($XDG_CONFIG_HOME/homecast/tokens.json, mode 0600). HOMECAST_TOKEN wins (scripts, CI).
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './errors.js';

export function tokensFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), '.config'), 'homecast', 'tokens.json');
}

const key = (server: string) => new URL(server).origin;

function readAll(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, string>) : {};
  } catch {
    throw new CliError(`${file} is not valid JSON: delete it and sign in again (npm run cli -- login)`);
  }
}

export function savedToken(server: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HOMECAST_TOKEN) return env.HOMECAST_TOKEN;
  const t = readAll(tokensFile(env))[key(server)];
  return typeof t === 'string' ? t : undefined;
}

export function saveToken(server: string, token: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const file = tokensFile(env);
  const all = readAll(file);
  if (token === undefined) delete all[key(server)];
  else all[key(server)] = token;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a new 0600 file, then renamed: never a moment with a readable or half file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}

/** POST to /api/auth/…, with the CLI's token when it has one; the server's error words on failure. */
export async function authPost(server: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(`${server.replace(/\/$/, '')}/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'homecast-cli', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(`cannot reach the server at ${server}: ${(err as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new CliError(typeof answer.error === 'string' ? answer.error : `the server answered HTTP ${res.status}`);
  return answer;
}

/** GET a REST route (path with its query) with the CLI's token; the server's error words on failure. */
export function restGet<T>(server: string, path: string, token: string | undefined): Promise<T> {
  return restCall<T>(server, 'GET', path, token);
}

/** A REST call with the CLI's token and a JSON body; the server's error words on failure. */
export async function restCall<T>(server: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${server.replace(/\/$/, '')}${path}`, {
      method,
      headers: { 'user-agent': 'homecast-cli', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new CliError(`cannot reach the server at ${server}: ${(err as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new CliError(typeof answer.error === 'string' ? answer.error : `the server answered HTTP ${res.status}`);
  return answer as T;
}

export const cliDeviceName = (): string => `Command line on ${hostname()}`;
