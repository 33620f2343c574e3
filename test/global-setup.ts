// Once per test run: bring dist/ up to date (integration tests run the built server); `tsc -b`
// compiles only what changed since dist/.tsbuildinfo (nothing: about half a second).
// Type errors do not stop the run here (tsc still emits); `npm test` has already failed
// on them in its set-up step, and a developer running one test file wants its result.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './helpers/paths.js';

export default function setup(): void {
  const r = spawnSync(process.execPath, [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json'], { cwd: projectRoot, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`[global-setup] tsc reported errors (build emitted anyway):\n${r.stdout}${r.stderr}\n`);
}
