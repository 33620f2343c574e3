// A speaker that asks for PCM (TXT `cn=0`): the driver sends L16 (big-endian, RAOP's
// `L16/44100/2`), and shairport-sync 3.3.8 must play exactly our samples, as with ALAC
// (raop-shairport.test.ts): same samples bit for bit at 0 dB, no gaps, the source's length.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignTo, countLoud, differences, firstLoud, lastLoud, ncc, silentRuns } from './pcm-compare.js';
import type { Shairport } from './shairport.js';
import { makeSignals, samples, startKitchen, type Kitchen, type Signals } from './speaker-fixture.js';

const PORT = 5058;
let kitchen: Kitchen;
let speaker: Shairport;
let signals: Signals;
let src: Int16Array;

beforeAll(async () => {
  signals = makeSignals('airplay-pcm-');
  // Left sweeps up 200 → 3800 Hz, right down 3000 → 600 Hz: no two stretches look alike.
  signals.flac('sweep.flac', 'aevalsrc=0.5*sin(2*PI*(200*t+600*t*t))|0.4*sin(2*PI*(3000*t-400*t*t)):s=44100:d=3');
  // What the driver's decoder makes of the file: the reference.
  src = samples(signals.pcm('sweep.flac'));
  kitchen = await startKitchen({ port: PORT });
  speaker = kitchen.speaker;
});

afterAll(async () => {
  await kitchen?.close();
  signals?.close();
});

describe('AirPlay driver → shairport-sync as PCM (cn=0)', () => {
  it('plays a 3 s sweep as L16, sample-exact, without gaps, at the right length', { timeout: 30_000 }, async () => {
    const d = kitchen.driver({ file: signals.path('sweep.flac'), duration: 3, txt: { cn: '0', et: '0,1', sr: '44100', ss: '16', ch: '2' } });
    const start = speaker.pcm.frames;
    const loudStart = speaker.pcm.loudFrames;
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    const done = await d.status((s) => s.state === 'idle', mark, 15_000);
    expect(done.idleReason).toBe('finished');
    // All but the muted start (9 packets after a start, player.c) came out by the time it was heard.
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudStart + countLoud(src, 9 * 352), 3000, 'the whole sweep');
    await d.cmd('close');
    // shairport-sync says it got L16 (rtsp.c handle_announce, at -vv).
    await speaker.waitLog(/An uncompressed PCM stream has been detected/, 1000);

    const out = speaker.pcm.slice(start);
    const a = firstLoud(out);
    const z = lastLoud(out);
    const { lag, ncc: head } = alignTo(out, a, src, 12 * 352);
    expect(head).toBeGreaterThan(0.99);
    const n = Math.min(z - a + 1, src.length / 2 - lag);
    expect(ncc(out, a, src, lag, n)).toBeGreaterThan(0.99);
    expect(differences(out, a, src, lag, n)).toBe(0);
    expect(silentRuns(out, a, z, 16)).toEqual([]);
    expect(Math.abs(lag + (z - a + 1) - src.length / 2) / (src.length / 2)).toBeLessThan(0.01);
  });
});
