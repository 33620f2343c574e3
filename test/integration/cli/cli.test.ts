// The command-line remote (built dist/server/cli/main.js) against the real server and a software
// Chromecast on loopback: arguments out of range name the range, a number that is no library id
// says so (and says when it was played as search text instead), and without --server it finds the
// server where the server itself would listen: PORT, else the config's port.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { projectRoot } from '../../helpers/paths.js';
import { OWNER, scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

let lib: LibraryCopy;
let emu: CastEmulator;
let server: RunningServer;
/** A folder with no config.json, so only what a test gives the CLI counts. */
let cwd: string;

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { PORT: _p, HOST: _h, ...rest } = process.env;
  return new Promise((resolve) => {
    // Signed in as the owner by HOMECAST_TOKEN; its own config dir, so a login here never touches the user's.
    const signedIn = { XDG_CONFIG_HOME: join(cwd, 'xdg'), ...(server?.token ? { HOMECAST_TOKEN: server.token } : {}) };
    execFile(process.execPath, [join(projectRoot, 'dist/server/cli/main.js'), ...args], { cwd, env: { ...rest, ...signedIn, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const at = () => ['--server', server.url];

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  // A track whose file name is a number no item has as its id.
  await mkdir(join(lib.music, 'Numbers'));
  await copyFile(lib.at('music/Gamma/Opus/02 Plain.wav'), join(lib.music, 'Numbers', '7777.wav'));
  cwd = await mkdtemp(join(tmpdir(), 'hc-cli-'));
  emu = await startCastEmulator({ name: 'Den', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: 'Den', host: emu.host, port: emu.port, model: 'Google Home', type: 'speaker' }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
});

describe('command-line remote', () => {
  it('says the range of a volume or seek it cannot take, and what was wrong with it', async () => {
    const cases: [string[], RegExp][] = [
      [['volume', '150'], /^error: volume 150: the level \(percent\) must be a number from 0 to 100\n$/],
      [['volume', '1e9'], /^error: volume 1e9: the level \(percent\) must be a number from 0 to 100\n$/],
      [['volume', 'loud'], /^error: volume loud: the level \(percent\) must be a number from 0 to 100\n$/],
      [['volume'], /^error: volume needs the level \(percent\): a number from 0 to 100\n$/],
      [['seek', 'soon'], /^error: seek soon: the position \(seconds\) must be a number from 0 to 604800\n$/],
    ];
    for (const [args, error] of cases) {
      const r = await cli([...args, '--to', 'Den', ...at()]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(error);
    }
    const set = new Promise<{ level: number }>((resolve) => emu.events.once('volume', resolve));
    const ok = await cli(['volume', '30', '--to', 'Den', ...at()]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await set).level).toBeCloseTo(0.3, 2);
  });

  it('says when a number is no library id: an error when nothing else matches either', async () => {
    const r = await cli(['play', '99999', '--to', 'Den', ...at()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no library item with id 99999, and nothing in the library matches "99999"\n');
  });

  it('says when a number is no library id but was played as search text', async () => {
    const playing = new Promise((resolve) => emu.events.once('playing', resolve));
    const r = await cli(['play', '7777', '--to', 'Den', ...at()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('no library item with id 7777: playing what matches "7777" as search text\n');
    expect(r.stdout).toMatch(/^Den: \w+ .*7777 /);
    await playing;
  });

  it('plays a number that is a library id as that item, with no note', async () => {
    const tracks = (await server.get<{ items: { id: number; title: string }[] }>('/api/library/tracks?q=Tagged')).body.items;
    const tagged = tracks.find((t) => t.title === 'Tagged')!;
    const r = await cli(['play', String(tagged.id), '--to', 'Den', ...at()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Tagged/);
  });

  it('without --server, finds the server on PORT, else on the config port, as the server would listen', async () => {
    const fromEnv = await cli(['receivers'], { PORT: String(server.port) });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toMatch(/● Den /);
    const config = join(cwd, 'other.json');
    await writeFile(config, JSON.stringify({ port: server.port }));
    const fromConfig = await cli(['receivers', '--config', config]);
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(fromConfig.stdout).toMatch(/● Den /);
    // PORT wins over the file, as it does for the server; ./config.json is read without --config.
    await writeFile(join(cwd, 'config.json'), JSON.stringify({ port: 9 }));
    const both = await cli(['receivers'], { PORT: String(server.port) });
    expect(both.stdout).toMatch(/● Den /);
    const fileOnly = await cli(['receivers']);
    expect(fileOnly.code).toBe(1);
    expect(fileOnly.stderr).toMatch(/^error: cannot reach the server at http:\/\/localhost:9: /);
  });

  it('signs in with login (name and password, never on argv), keeps the token 0600 in the XDG config dir, and signs out', async () => {
    const xdg = await mkdtemp(join(tmpdir(), 'hc-xdg-'));
    const as = (env: Record<string, string> = {}) => ({ HOMECAST_TOKEN: '', XDG_CONFIG_HOME: xdg, ...env });
    const refused = await cli(['receivers', ...at()], as());
    expect(refused).toMatchObject({ code: 1, stderr: 'error: sign in first: run `npm run cli -- login` (or set HOMECAST_TOKEN)\n' });
    expect((await cli(['login', '--name', OWNER.name, ...at()], as({ HOMECAST_PASSWORD: 'wrong password' }))).stderr).toBe('error: wrong name or password\n');
    const login = await cli(['login', '--name', OWNER.name, ...at()], as({ HOMECAST_PASSWORD: OWNER.password }));
    const file = join(xdg, 'homecast', 'tokens.json');
    expect(login).toEqual({ code: 0, stdout: `signed in to ${server.url} as ${OWNER.name} (token kept in ${file})\n`, stderr: '' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')) as object)).toEqual([server.url]);
    expect(await cli(['receivers', ...at()], as())).toMatchObject({ code: 0, stdout: expect.stringContaining('Den') });
    expect(await cli(['logout', ...at()], as())).toMatchObject({ code: 0, stdout: `signed out of ${server.url}\n` });
    expect((await cli(['receivers', ...at()], as())).stderr).toMatch(/^error: sign in first/);
  });
});
