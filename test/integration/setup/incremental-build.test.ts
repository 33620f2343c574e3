// `node scripts/setup.mjs` (what `npm start` runs first) on a copy of the project: a fresh copy
// is built completely; run again with nothing changed, it compiles, typechecks and bundles
// nothing; an edit rebuilds what depends on it and nothing else. Packages are the project's own
// (node_modules linked), with their install stamp kept newer than the copy's lock file, so the
// set-up never installs anything here.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/paths.js';

let copy: string;

/** Not copied: packages (linked instead), git, build outputs, generated or local data. */
const OUTSIDE = new Set(['node_modules', '.git', 'dist', 'data', 'config.json', 'test/fixtures/generated', 'test/artifacts']);

function setup(): Promise<{ code: number | null; out: string; seconds: number }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(copy, 'scripts/setup.mjs')], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => resolve({ code, out, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
}

/** Modification times of build outputs: a step that ran rewrites its output. */
function outputs(): Record<string, number> {
  const files = ['dist/.tsbuildinfo', 'dist/server/main.js', 'dist/server/api/messages.js', 'ui/dist/index.html'];
  return Object.fromEntries(files.map((f) => [f, existsSync(join(copy, f)) ? statSync(join(copy, f)).mtimeMs : 0]));
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'hc-setup-'));
  cpSync(projectRoot, copy, {
    recursive: true,
    preserveTimestamps: true,
    filter: (src) => {
      const rel = relative(projectRoot, src);
      // Also not what a Vite build running meanwhile (another test's) makes and deletes again.
      return !OUTSIDE.has(rel) && !/^ui\/dist(\.|\/|$)/.test(rel) && !rel.includes('.timestamp-');
    },
  });
  symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'));
  // The set-up installs packages when package.json or the lock is newer than the last install.
  const installed = statSync(join(projectRoot, 'node_modules/.package-lock.json')).mtime;
  const older = new Date(installed.getTime() - 60_000);
  for (const f of ['package.json', 'package-lock.json']) utimesSync(join(copy, f), older, older);
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('set-up build', () => {
  it('builds a fresh copy fully, then only what an edit touches', async () => {
    const fresh = await setup();
    expect(fresh.code, fresh.out).toBe(0);
    expect(fresh.out).not.toMatch(/installing/);
    expect(readFileSync(join(copy, 'ui/dist/index.html'), 'utf8')).toMatch(/<html/);
    let before = outputs();
    expect(Object.values(before).every((t) => t > 0)).toBe(true);

    const again = await setup();
    expect(again.code, again.out).toBe(0);
    expect(outputs()).toEqual(before);
    expect(fresh.out).toMatch(/server: compiled \(dist\/\)/);
    expect(fresh.out).toMatch(/web remote: typechecking/);
    expect(fresh.out).toMatch(/web remote: building/);
    expect(again.out).toMatch(/server: up to date/);
    expect(again.out).toMatch(/web remote: typecheck up to date/);
    expect(again.out).toMatch(/web remote: up to date/);
    process.stderr.write(`[incremental-build] fresh build ${fresh.seconds.toFixed(1)} s, unchanged ${again.seconds.toFixed(1)} s\n`);

    // An edit in ui/ only: the web remote is checked and bundled again, the server is not compiled.
    appendFileSync(join(copy, 'ui/src/main.ts'), '// edited\n');
    const ui = await setup();
    expect(ui.code, ui.out).toBe(0);
    expect(ui.out).toMatch(/server: up to date/);
    expect(ui.out).toMatch(/web remote: typechecking/);
    let after = outputs();
    expect(after['dist/.tsbuildinfo']).toBe(before['dist/.tsbuildinfo']);
    expect(after['ui/dist/index.html']).not.toBe(before['ui/dist/index.html']);
    before = after;

    // The server's message list, which the web remote imports: both are built again.
    appendFileSync(join(copy, 'server/api/messages.ts'), '// edited\n');
    const shared = await setup();
    expect(shared.code, shared.out).toBe(0);
    expect(shared.out).toMatch(/server: compiled what changed/);
    expect(shared.out).toMatch(/web remote: typechecking/);
    expect(readFileSync(join(copy, 'dist/server/api/messages.js'), 'utf8')).toContain('// edited');
    expect(outputs()['ui/dist/index.html']).not.toBe(before['ui/dist/index.html']);

    // The bundle deleted: made again; its typecheck, on unchanged inputs, is not redone.
    const typechecked = statSync(join(copy, 'dist/.ui-typecheck')).mtimeMs;
    rmSync(join(copy, 'ui/dist'), { recursive: true });
    const gone = await setup();
    expect(gone.code, gone.out).toBe(0);
    expect(gone.out).toMatch(/server: up to date/);
    expect(gone.out).toMatch(/web remote: typecheck up to date/);
    expect(gone.out).toMatch(/web remote: building/);
    expect(outputs()['ui/dist/index.html']).toBeGreaterThan(0);
    expect(statSync(join(copy, 'dist/.ui-typecheck')).mtimeMs).toBe(typechecked);
  }, 600_000);
});
