// The built server refuses a bad config with one line naming the key, and does not start.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/paths.js';

function runServer(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(projectRoot, 'dist/server/main.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('starting with a bad config', () => {
  it.each([
    [{ port: 'x' }, {}, /^error: bad config .*"port"/],
    [{ libraries: [{ name: 'M', path: '/tmp', kind: 'songs' }] }, {}, /^error: bad config .*"libraries\[0\]\.kind"/],
    [{}, { PORT: 'abc' }, /^error: environment variable PORT="abc"/],
  ])('%j %j exits with one clear line', async (config, env, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'hc-badcfg-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config));
    const r = await runServer(['--config', file], env as Record<string, string>);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/listening/);
  });
});
