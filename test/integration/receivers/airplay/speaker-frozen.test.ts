// A speaker that stops answering without closing anything (frozen, powered off, off the network):
// shairport-sync 3.3.8 held with SIGSTOP. TCP stays open, so only the RTSP keepalive (OPTIONS every
// 15 s, sender.ts) and the speaker's timing requests (every 3 s while its session lives) can tell:
// 10 s without a timing request ends the item as 'gone', before the keepalive's deadline would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { startShairport, type Shairport } from './shairport.js';
import { startDriver } from './speaker-runner.js';

const PORT = 5059;
let ns: Netns;
let speaker: Shairport;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airplay-frozen-'));
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=60', '-ac', '2', '-c:a', 'flac', join(dir, 'tone.flac')]);
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr.toString()}`);
  ns = await createNetns();
  speaker = startShairport(ns, { port: PORT, name: 'Kitchen' });
  await speaker.waitLog(/service '[0-9A-F]+@Kitchen' successfully added/, 20_000);
});

afterAll(async () => {
  if (speaker) speaker.process.kill('SIGCONT'); // a stopped process would never take the SIGTERM
  await speaker?.stop();
  await ns?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('AirPlay driver → a speaker that freezes', () => {
  it('a long pause is not taken for a speaker gone: it keeps asking for the time while flushed', { timeout: 45_000 }, async () => {
    const d = startDriver(ns, { host: ns.addr, port: PORT, file: join(dir, 'tone.flac'), duration: 60 });
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
    const d = startDriver(ns, { host: ns.addr, port: PORT, file: join(dir, 'tone.flac'), duration: 60 });
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    const frozenAt = performance.now();
    speaker.process.kill('SIGSTOP');
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
