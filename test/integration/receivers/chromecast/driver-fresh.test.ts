// The server's Cast session in a process that has just started, its thread pool busy: the first
// CONNECT and LAUNCH reach the device (castv2 loads its schema asynchronously; a send before that
// throws, and a lost CONNECT makes a device ignore the rest: "no CONNECT first").
// A real process (dist/…/fresh-session.js) against the software Chromecast over TLS on loopback.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../../receivers/chromecast/emulator.js';
import { projectRoot } from '../../../helpers/paths.js';

let emu: CastEmulator;
const warnings: string[] = [];

beforeAll(async () => {
  emu = await startCastEmulator({ name: 'Fresh TV', host: '127.0.0.1', port: 0, mdns: false });
  emu.events.on('warning', (line) => warnings.push(line));
});

afterAll(async () => {
  await emu?.close();
});

it('connects, is heard and launches the media receiver although castv2 was still loading its schema', async () => {
  const script = join(projectRoot, 'dist/test/integration/receivers/chromecast/fresh-session.js');
  const { stdout } = await promisify(execFile)(process.execPath, [script, '127.0.0.1', String(emu.port)], { env: { ...process.env, UV_THREADPOOL_SIZE: '4' }, timeout: 60_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { transportId?: string; error?: string };
  expect(warnings.filter((w) => w.includes('no CONNECT first'))).toEqual([]);
  expect(result).toMatchObject({ transportId: expect.any(String) });
});
