// A speaker that stops answering without closing anything (frozen, powered off, off the network):
// shairport-sync 3.3.8 held with SIGSTOP. TCP stays open, so only the RTSP keepalive (OPTIONS every
// 15 s, sender.ts) can notice: its missing answer (10 s deadline, rtsp.ts) must end in 'gone'.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  it('ends the item as gone when the keepalive gets no answer', { timeout: 45_000 }, async () => {
    const d = startDriver(ns, { host: ns.addr, port: PORT, file: join(dir, 'tone.flac'), duration: 60 });
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    const frozenAt = performance.now();
    speaker.process.kill('SIGSTOP');
    // First keepalive ≤ 15 s after RECORD, then 10 s without an answer.
    const gone = await d.status((s) => s.state === 'idle', mark, 30_000);
    const afterMs = performance.now() - frozenAt;
    expect(gone.idleReason).toBe('gone');
    expect(String(gone.error)).toMatch(/^Kitchen went away: no answer to OPTIONS within 10000 ms/);
    expect(afterMs).toBeGreaterThan(9000);
    await d.out.wait(/"event":"gone"/, 2000, mark);
    await d.cmd('close');
  });
});
