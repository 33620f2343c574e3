// A production-only install (`npm ci --omit=dev`) must give a server that starts. Two checks, both
// without the network (tests never leave the machine, and `npm ci --offline` needs every package in
// npm's cache, which a machine that installed from a mirror may not have):
// - every bare import in dist/server and dist/receivers, static or lazy (`import()`: the photo
//   prober, the emulators' CLIs), names a package in `dependencies` or Node's own modules;
// - the tree `npm ci --omit=dev` lays out (every package-lock.json entry not marked dev, copied from
//   node_modules without its nested node_modules, which are entries of their own) plus dist/ holds a
//   server that starts: it logs "listening" and answers /api/health. No node_modules folder above
//   the temporary folder may stand in for a missing package.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/paths.js';

interface Lock { packages: Record<string, { dev?: boolean; link?: boolean }> }
const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const RUNTIME = ['dist/server', 'dist/receivers'];

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

/** "@scope/name/sub" → "@scope/name"; "name/sub" → "name". */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

let tmp: string | undefined;
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('a production-only install', () => {
  it('every package dist/server and dist/receivers import is in dependencies', () => {
    const builtins = new Set(builtinModules);
    const missing = new Map<string, string>();
    for (const file of RUNTIME.flatMap((d) => jsFiles(join(projectRoot, d)))) {
      const src = readFileSync(file, 'utf8');
      const specs = [...src.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
      for (const spec of specs) {
        if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec)) continue;
        if (!(packageOf(spec) in pkg.dependencies)) missing.set(packageOf(spec), file.slice(projectRoot.length + 1));
      }
    }
    expect(Object.fromEntries(missing)).toEqual({});
  });

  it('the tree npm ci --omit=dev lays out, with dist/, starts the server', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'hc-prod-'));
    for (let dir = dirname(tmp); ; dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules')), `${dir}/node_modules would hide a missing package`).toBe(false);
      if (dir === dirname(dir)) break;
    }
    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as Lock;
    const production = Object.entries(lock.packages).filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.link).map(([path]) => path);
    expect(production.length).toBeGreaterThan(Object.keys(pkg.dependencies).length);
    for (const path of production) {
      const from = join(projectRoot, path);
      // An optional package for another platform is in the lock but not installed here.
      if (!existsSync(from)) continue;
      cpSync(from, join(tmp, path), { recursive: true, filter: (src) => src === from || !src.slice(from.length).split(sep).includes('node_modules') });
    }
    for (const name of Object.keys(pkg.dependencies)) expect(existsSync(join(tmp, 'node_modules', name)), name).toBe(true);
    for (const d of RUNTIME) cpSync(join(projectRoot, d), join(tmp, d), { recursive: true });
    cpSync(join(projectRoot, 'package.json'), join(tmp, 'package.json'));
    cpSync(join(projectRoot, 'package-lock.json'), join(tmp, 'package-lock.json'));
    // The server finds its root as package.json beside server/ (a clone has the sources there).
    mkdirSync(join(tmp, 'server'));
    const dataDir = join(tmp, 'data');
    const config = join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ host: '127.0.0.1', port: 0, dataDir, libraries: [], discovery: { mdns: false }, sendspin: { port: 0 }, scan: { watch: false, onStart: false }, remote: { enabled: true, port: 0 } }));

    const proc = spawn(process.execPath, [join(tmp, 'dist/server/main.js'), '--config', config], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = / info listening .*\bport=(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        };
        proc.stdout.on('data', onData);
        proc.stderr.on('data', onData);
        proc.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
      expect(out).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
      expect(out).toMatch(/ remote access port=\d+/);
      expect(statSync(join(dataDir, 'library.db')).isFile()).toBe(true);
    } finally {
      proc.kill('SIGTERM');
      if (proc.exitCode === null) await new Promise((resolve) => proc.once('exit', resolve));
    }
  }, 120_000);
});
