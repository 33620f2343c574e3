// A password-protected AirPlay speaker: shairport-sync 3.3.8 with `general.password`, which answers
// every request with 401 + a Digest challenge until one carries the right Authorization (rtsp.c
// rtsp_auth). The driver plays with the right password and fails with NeedsPasswordError otherwise.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { startShairport, type Shairport } from './shairport.js';
import { DriverCommandError, startDriver, type Driver } from './speaker-runner.js';

const PORT = 5056;
const RATE = 44100;
const PASSWORD = 'open sesame';
let ns: Netns;
let speaker: Shairport;
let dir: string;

const driver = (password?: string): Driver =>
  startDriver(ns, { host: ns.addr, port: PORT, file: join(dir, 'tone.flac'), driver: password !== undefined ? { password } : {} });

/** The failure of `cmd`, as the runner reported it. */
async function failure(d: Driver, cmd: string): Promise<Record<string, unknown>> {
  try {
    await d.cmd(cmd);
  } catch (e) {
    if (e instanceof DriverCommandError) return e.detail;
    throw e;
  }
  throw new Error(`${cmd} succeeded`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airplay-password-'));
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=6', '-ac', '2', '-c:a', 'flac', join(dir, 'tone.flac')]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr.toString()}`);
  ns = await createNetns();
  speaker = startShairport(ns, { port: PORT, name: 'Kitchen', password: PASSWORD });
  await speaker.waitLog(/service '[0-9A-F]+@Kitchen' successfully added/, 20_000);
});

afterAll(async () => {
  await speaker?.stop();
  await ns?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('AirPlay driver → shairport-sync with a password', () => {
  it('without a password: NeedsPasswordError, and the status says so', { timeout: 20_000 }, async () => {
    const d = driver();
    const c = await failure(d, 'connect');
    expect(c).toMatchObject({ message: 'Kitchen needs a password', name: 'NeedsPasswordError', code: 'needs-password', wrong: false });
    const mark = d.out.lines.length;
    const l = await failure(d, 'load 0');
    expect(l).toMatchObject({ message: 'Kitchen needs a password', code: 'needs-password', wrong: false });
    const idle = await d.status((s) => s.state === 'idle', mark);
    expect(idle.idleReason).toBe('error');
    expect(idle.error).toBe('Kitchen needs a password');
    await d.cmd('close');
  });

  it('with a wrong password: NeedsPasswordError with wrong=true', { timeout: 20_000 }, async () => {
    const d = driver('open barley');
    const mark = d.out.lines.length;
    const l = await failure(d, 'load 0');
    expect(l).toMatchObject({ message: 'Kitchen did not accept the password', name: 'NeedsPasswordError', code: 'needs-password', wrong: true });
    const idle = await d.status((s) => s.state === 'idle', mark);
    expect(idle.error).toBe('Kitchen did not accept the password');
    await speaker.waitLog(/Password authorization failed/, 2000);
    await d.cmd('close');
  });

  it('with the right password: plays the tone', { timeout: 30_000 }, async () => {
    const d = driver(PASSWORD);
    await d.cmd('connect');
    const loudStart = speaker.pcm.loudFrames;
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudStart + RATE, 8000, '1 s of tone');
    await d.cmd('stop');
    await d.cmd('close');
  });
});
