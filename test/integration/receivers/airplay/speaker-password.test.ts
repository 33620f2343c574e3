// A password-protected AirPlay speaker: shairport-sync 3.3.8 with `general.password`, which answers
// every request with 401 + a Digest challenge until one carries the right Authorization (rtsp.c
// rtsp_auth). The driver plays with the right password and fails with NeedsPasswordError otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shairport } from './shairport.js';
import { makeSignals, startKitchen, type Kitchen, type Signals } from './speaker-fixture.js';
import { DriverCommandError, type Driver } from './speaker-runner.js';

const PORT = 5056;
const RATE = 44100;
const PASSWORD = 'open sesame';
let kitchen: Kitchen;
let speaker: Shairport;
let signals: Signals;

const driver = (password?: string): Driver =>
  kitchen.driver({ file: signals.path('tone.flac'), driver: password !== undefined ? { password } : {} });

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
  signals = makeSignals('airplay-password-');
  signals.flac('tone.flac', 'sine=frequency=440:sample_rate=44100:duration=6');
  kitchen = await startKitchen({ port: PORT, password: PASSWORD });
  speaker = kitchen.speaker;
});

afterAll(async () => {
  await kitchen?.close();
  signals?.close();
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
