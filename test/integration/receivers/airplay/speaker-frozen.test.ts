// A speaker that stops answering without closing anything (frozen, powered off, off the network):
// shairport-sync 3.3.8 held with SIGSTOP. TCP stays open, so only the RTSP keepalive (OPTIONS every
// 15 s, sender.ts) and the speaker's timing requests (every 3 s while its session lives) can tell:
// 10 s without a timing request ends the item as 'gone', before the keepalive's deadline would.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSignals, startKitchen, type Kitchen, type Signals } from './speaker-fixture.js';

let kitchen: Kitchen;
let signals: Signals;
let tone: string;

beforeAll(async () => {
  signals = makeSignals('airplay-frozen-');
  tone = signals.flac('tone.flac', 'sine=frequency=440:sample_rate=44100:duration=60');
  kitchen = await startKitchen({ port: 5059 });
});

afterAll(async () => {
  kitchen?.speaker.process.kill('SIGCONT'); // a stopped process would never take the SIGTERM
  await kitchen?.close();
  signals?.close();
});

describe('AirPlay driver → a speaker that freezes', () => {
  it('a long pause is not taken for a speaker gone: it keeps asking for the time while flushed', { timeout: 45_000 }, async () => {
    const d = kitchen.driver({ file: tone, duration: 60 });
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    mark = d.out.lines.length;
    await d.cmd('pause');
    await d.status((s) => s.state === 'paused', mark);
    await delay(13_000); // longer than the 10 s of timing silence that means "gone"
    expect((await d.now()).state).toBe('paused');
    mark = d.out.lines.length;
    await d.cmd('play');
    await d.status((s) => s.state === 'playing', mark, 8000);
    await d.cmd('stop');
    await d.cmd('close');
  });

  it('ends the item as gone when the speaker stops asking for the time', { timeout: 45_000 }, async () => {
    const d = kitchen.driver({ file: tone, duration: 60 });
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    const frozenAt = performance.now();
    kitchen.speaker.process.kill('SIGSTOP');
    const gone = await d.status((s) => s.state === 'idle', mark, 30_000);
    const afterMs = performance.now() - frozenAt;
    expect(gone.idleReason).toBe('gone');
    expect(String(gone.error)).toMatch(/^Kitchen went away: no timing request for 1\d s/);
    // 10 s after its last request (at most 3 s before the freeze), checked every second.
    expect(afterMs).toBeGreaterThan(7000);
    expect(afterMs).toBeLessThan(15_000);
    await d.out.wait(/"event":"gone"/, 2000, mark);
    await d.cmd('close');
  });
});
