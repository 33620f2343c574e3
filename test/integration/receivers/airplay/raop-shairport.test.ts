// Our RAOP sender against a real AirPlay speaker: shairport-sync 3.3.8 in a network namespace,
// writing what it plays to stdout. Asserts the audio arrives intact (same samples, no gaps, same
// length), that volume follows the dB scale, and that pause stops the output and resume restarts it.
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, type LineReader } from '../../../helpers/lines.js';
import { projectRoot } from '../../../helpers/paths.js';
import { alignTo, countLoud, differences, firstLoud, lastLoud, lavfiPcm, ncc, rms, silentRuns } from './pcm-compare.js';
import type { Shairport } from './shairport.js';
import { startKitchen, type Kitchen } from './speaker-fixture.js';

const PORT = 5055;
const RATE = 44100;
let kitchen: Kitchen;
let speaker: Shairport;

interface Driver {
  out: LineReader;
  send(line: string): void;
}

function driver(volumeDb: number): Driver {
  const { ns } = kitchen;
  const child = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/integration/receivers/airplay/raop-driver.js'), ns.addr, String(PORT), String(volumeDb)], { stdio: ['pipe', 'pipe', 'pipe'] });
  return { out: readLines(child, 'raop-driver'), send: (l) => child.stdin!.write(`${l}\n`) };
}

/** Waits until `frames` loud frames more than `base` came out. */
const loudAfter = (base: number, frames: number, timeoutMs: number, what: string): Promise<void> =>
  speaker.pcm.until(() => speaker.pcm.loudFrames >= base + frames, timeoutMs, what);

beforeAll(async () => {
  kitchen = await startKitchen({ port: PORT });
  speaker = kitchen.speaker;
});

afterAll(async () => {
  await kitchen?.close();
});

describe('RAOP sender → shairport-sync', () => {
  it('plays a 3 s sweep sample-exact, without gaps, at the right length', async () => {
    // Left sweeps up 200 → 3800 Hz, right down 3000 → 600 Hz: no two stretches look alike.
    const graph = 'aevalsrc=0.5*sin(2*PI*(200*t+600*t*t))|0.4*sin(2*PI*(3000*t-400*t*t)):s=44100:d=3';
    const src = lavfiPcm(graph);
    const srcFrames = src.length / 2;
    const start = speaker.pcm.frames;
    const loudStart = speaker.pcm.loudFrames;
    const d = driver(0);
    await d.out.wait(/"event":"open"/);
    d.send(`play ${graph}`);
    await d.out.wait(/"event":"ended"/, 10_000);
    // All but the muted start (9 packets after a start, player.c) must come out, last packet too.
    await loudAfter(loudStart, countLoud(src, 9 * 352), 6000, 'the whole sweep');
    d.send('stop');
    await d.out.wait(/"event":"stopped"/);

    const out = speaker.pcm.slice(start);
    const a = firstLoud(out);
    const z = lastLoud(out);
    const { lag, ncc: head } = alignTo(out, a, src, 12 * 352);
    expect(head).toBeGreaterThan(0.99);
    const n = Math.min(z - a + 1, srcFrames - lag);
    expect(ncc(out, a, src, lag, n)).toBeGreaterThan(0.99);
    // At 0 dB shairport-sync neither attenuates nor dithers: the samples must be ours, bit for bit.
    expect(differences(out, a, src, lag, n)).toBe(0);
    expect(silentRuns(out, a, z, 16)).toEqual([]);
    // The muted head (lag) plus what played: the source's length within 1 %.
    expect(Math.abs(lag + (z - a + 1) - srcFrames) / srcFrames).toBeLessThan(0.01);
  });

  it('follows volume changes on the dB scale', async () => {
    const graph = 'aevalsrc=0.5*sin(2*PI*1000*t)|0.5*sin(2*PI*1000*t):s=44100:d=5';
    const start = speaker.pcm.frames;
    const loudStart = speaker.pcm.loudFrames;
    const d = driver(0);
    await d.out.wait(/"event":"open"/);
    d.send(`play ${graph}`);
    await loudAfter(loudStart, RATE, 8000, '1 s of tone at 0 dB');
    d.send('volume -6');
    await d.out.wait(/"event":"volume"/);
    const atChange = speaker.pcm.frames;
    await loudAfter(loudStart, 3 * RATE, 8000, '3 s of tone');
    d.send('stop');
    await d.out.wait(/"event":"stopped"/);

    const out = speaker.pcm.slice(start);
    const a = firstLoud(out);
    const full = rms(out, a + 0.1 * RATE, 0.5 * RATE);
    const after = rms(out, atChange - start + 0.5 * RATE, 0.5 * RATE);
    // 0 dB is unity gain: the tone's own RMS (0.5 full scale / √2).
    expect(full / (0.5 * 32767 * Math.SQRT1_2)).toBeCloseTo(1, 2);
    expect(after / full).toBeGreaterThan(10 ** (-6 / 20) * 0.97);
    expect(after / full).toBeLessThan(10 ** (-6 / 20) * 1.03);
  });

  it('pause stops the output and resume restarts it', async () => {
    const graph = 'aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*440*t):s=44100:d=8';
    const loudStart = speaker.pcm.loudFrames;
    const d = driver(0);
    await d.out.wait(/"event":"open"/);
    d.send(`play ${graph}`);
    await loudAfter(loudStart, RATE, 8000, '1 s of tone');
    d.send('pause');
    await d.out.wait(/"event":"paused"/);
    const pausedAt = performance.now();
    // The pause itself is the thing under test: hold it for 2 s of wall time.
    await delay(2000);
    const loudDuringPause = speaker.pcm.loudArrivedBetween(pausedAt + 300, performance.now());
    const loudAtResume = speaker.pcm.loudFrames;
    d.send('resume');
    await d.out.wait(/"event":"resumed"/);
    const resumedAt = performance.now();
    await loudAfter(loudAtResume, RATE, 6000, 'tone after resume');
    const restartMs = performance.now() - resumedAt;
    d.send('stop');
    await d.out.wait(/"event":"stopped"/);

    expect(loudDuringPause).toBe(0);
    // Back within the 2 s latency, plus the 1 s shairport-sync releases audio early, plus 1 s of tone.
    expect(restartMs).toBeLessThan(4500);
  });

  // Last: it takes the speaker away.
  it('reports the speaker going away while playing', async () => {
    const loudStart = speaker.pcm.loudFrames;
    const d = driver(0);
    await d.out.wait(/"event":"open"/);
    d.send('play aevalsrc=0.5*sin(2*PI*440*t):s=44100:d=20');
    await loudAfter(loudStart, RATE / 2, 8000, 'tone');
    speaker.process.kill('SIGTERM');
    await d.out.wait(/"event":"error"/, 5000);
  });
});
