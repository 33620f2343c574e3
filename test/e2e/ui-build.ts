// The server serves ui/dist; these tests must see the UI sources under test. npm test's set-up
// has just built it; a developer running one file after editing ui/ gets a rebuild here. The new
// build is made beside ui/dist and swapped in, so a server of another test file running at the
// same time never finds the folder half-written.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';

const ui = join(projectRoot, 'ui');
const SOURCES = ['src', 'build', 'public', 'index.html', 'vite.config.ts'];

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

export function ensureUiBuilt(): void {
  const built = join(ui, 'dist', 'index.html');
  const sourcesAt = Math.max(...SOURCES.map((s) => newest(join(ui, s))), statSync(join(projectRoot, 'package-lock.json')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sourcesAt) return;
  const out = `dist.build-${process.pid}`;
  const r = spawnSync(process.execPath, [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'ui/vite.config.ts', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], {
    cwd: projectRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`UI build failed:\n${r.stdout}${r.stderr}`);
  const old = join(ui, `dist.old-${process.pid}`);
  if (existsSync(join(ui, 'dist'))) renameSync(join(ui, 'dist'), old);
  renameSync(join(ui, out), join(ui, 'dist'));
  rmSync(old, { recursive: true, force: true });
}
