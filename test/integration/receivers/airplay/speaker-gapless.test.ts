// Gapless: two tracks back to back on shairport-sync 3.3.8 through the driver's preload(). Both are
// loud to their last sample (a DC offset under a tone: +0.3 then −0.3 of full scale), so any gap
// or overlap at the boundary shows as frames that are not loud, or as samples that differ from the
// two sources laid end to end. The driver reports track 1 finished and track 2 playing when the
// boundary is heard, without a new load, and sends track 2's info tagged with its first frame
// (checked on shairport-sync's metadata pipe).
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MetadataPipe } from './metadata-pipe.js';
import { alignTo, differences, firstLoud, lastLoud, LOUD } from './pcm-compare.js';
import type { Shairport } from './shairport.js';
import { makeSignals, samples, startKitchen, type Kitchen, type Signals } from './speaker-fixture.js';

const PORT = 5060;
const RATE = 44100;
const SECONDS = 3;
let kitchen: Kitchen;
let speaker: Shairport;
let signals: Signals;
let src: Int16Array;
let boundary: number;
let pipe: MetadataPipe;

/** A FLAC of `expr` on both channels, and its samples as the driver's decoder will make them. */
function track(name: string, expr: string): Buffer {
  signals.flac(name, `aevalsrc=${expr}|${expr}:s=${RATE}:d=${SECONDS}`);
  return signals.pcm(name);
}

beforeAll(async () => {
  signals = makeSignals('airplay-gapless-');
  // Sweeps, not steady tones: the alignment of output to source must have one answer.
  const one = track('one.flac', '0.3+0.1*sin(2*PI*(200*t+300*t*t))');
  const two = track('two.flac', '-0.3+0.1*sin(2*PI*(2000*t-250*t*t))');
  boundary = one.length / 4;
  const b = Buffer.concat([one, two]);
  src = samples(b);
  kitchen = await startKitchen({ port: PORT, metadataPipe: signals.path('meta') });
  speaker = kitchen.speaker;
  pipe = kitchen.pipe!;
});

afterAll(async () => {
  await kitchen?.close();
  signals?.close();
});

describe('AirPlay driver → shairport-sync, gapless', () => {
  it('plays a preloaded second track from the frame after the first one, in the same stream', { timeout: 40_000 }, async () => {
    onTestFailed(() => console.error(`shairport-sync log:\n${speaker.log()}`));
    const d = kitchen.driver({ file: signals.path('one.flac'), file2: signals.path('two.flac'), duration: SECONDS, duration2: SECONDS, metadata: { title: 'One' }, metadata2: { title: 'Two' } });
    const start = speaker.pcm.frames;
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    // As the playback session does with a track this short: the next one as soon as the load returned.
    await d.cmd('preload2');
    // shairport-sync 3.3.8 starts a player thread at RECORD that sets the volume it had before (−18 dB
    // when fresh: shairport.c:395, player.c:2003-2005); on a busy machine that comes after the 0 dB
    // the session set. Bit for bit needs 0 dB: set it again once that thread is going.
    await speaker.waitLog(/Play begin/, 8000);
    await d.cmd('volume 1');
    const playing = await d.status((s) => s.state === 'playing', mark, 8000);
    const finished = await d.status((s) => s.idleReason === 'finished', mark, 8000);
    expect(String(finished.preloaded)).toMatch(/\/media\/2$/);
    expect(finished.position).toBe(SECONDS);
    const next = d.out.lines.indexOf(d.out.lines.slice(mark).find((l) => l.includes('"preloaded"'))!);
    const second = await d.status((s) => s.state === 'playing', next, 2000);
    // A status is true at its `at`: one that comes late (timers fire late on a busy machine) says so
    // with a larger position. So at − position is when the item's first frame was heard, by the
    // driver's account; it is checked against the stream's timeline below, not against a clock.
    const heardAt = (s: Record<string, unknown>): number => Number(s.at) - Number(s.position) * 1000;
    expect(Number(second.position)).toBeGreaterThanOrEqual(0);
    expect(Number(second.position)).toBeLessThan(SECONDS);
    const end = await d.status((s) => s.state === 'idle' && !s.preloaded, next, 8000);
    expect(end.idleReason).toBe('finished');
    // One stream: no second load (a new session) between the tracks.
    const states = d.out.lines.slice(mark).filter((l) => l.startsWith('{"event":"status"')).map((l) => (JSON.parse(l) as { state: string }).state);
    expect(states.filter((st, i) => st !== states[i - 1])).toEqual(['loading', 'playing', 'idle', 'playing', 'idle']);
    // Track 2's info and progress start exactly one track after track 1's on the stream's timeline.
    // Track 2's decoder starts at preload, ahead of the boundary (ffmpeg took up to 1.6 s to start
    // on a loaded machine), and a stall shorter than half the latency costs no frame of timeline
    // (group/stream.ts), where before it moved the rest of the stream later: a gap.
    const titles = pipe.find('minm').map((i) => i.data.toString());
    expect(titles).toEqual(['One', 'Two']);
    const starts = pipe.find('prgr').map((i) => Number(i.data.toString().split('/')[0]));
    expect(starts).toHaveLength(2);
    const late = ((starts[1]! - starts[0]! + 2 ** 32) % 2 ** 32) - boundary;
    expect(late).toBe(0);
    expect(pipe.find('mdst').map((i) => Number(i.data.toString()))).toEqual(starts);
    // The driver said track 2 started where the stream has it: one track after track 1. (Its `at`
    // is the system clock, which drifted up to 10 ms in 20 s from the monotonic one here while
    // being slewed: a few ms of tolerance are the clock's, not the driver's.)
    expect(Math.abs(heardAt(second) - heardAt(playing) - (boundary / RATE) * 1000)).toBeLessThan(25);
    // 'finished' comes when the last frame is heard; shairport-sync wrote it out 1 s before that.
    await d.cmd('close');

    const out = speaker.pcm.slice(start);
    const a = firstLoud(out);
    const z = lastLoud(out);
    const { lag, ncc } = alignTo(out, a, src, 12 * 352);
    expect(ncc).toBeGreaterThan(0.99);
    // Where the boundary came out: the last frame of +0.3 and the first of −0.3.
    const pos = (f: number): boolean => out[2 * f]! > LOUD;
    const neg = (f: number): boolean => out[2 * f]! < -LOUD;
    let lastPos = a;
    while (lastPos + 1 <= z && pos(lastPos + 1)) lastPos++;
    let firstNeg = lastPos + 1;
    while (firstNeg <= z && !neg(firstNeg)) firstNeg++;
    expect(firstNeg - lastPos - 1).toBe(0); // frames of gap between the tracks
    expect(lastPos - a + lag + 1).toBe(boundary); // track 1 whole, then track 2
    // Bit for bit the two sources end to end, through the boundary to the end of track 2.
    expect(z - a + 1 + lag).toBe(src.length / 2);
    expect(differences(out, a, src, lag, z - a + 1)).toBe(0);
  });

  it('a pause while track 2 is already decoding (not yet heard) resumes track 1, then goes on gaplessly', { timeout: 40_000 }, async () => {
    const d = kitchen.driver({ file: signals.path('one.flac'), file2: signals.path('two.flac'), duration: SECONDS, duration2: SECONDS });
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.cmd('preload2');
    const playing = await d.status((s) => s.state === 'playing', mark, 8000);
    // Track 1 is sent 2 s before it is heard: from 1 s in, what is sent is already track 2. The
    // moment of the pause is what is under test: 1.8 s into track 1 by the clock.
    await delay(Math.max(0, Number(playing.at) + 1800 - Date.now()));
    mark = d.out.lines.length;
    await d.cmd('pause');
    const paused = await d.status((s) => s.state === 'paused', mark);
    expect(Number(paused.position)).toBeLessThan(SECONDS);
    // It was: track 2 had started decoding and goes back to waiting for track 1's end.
    expect(d.out.lines.slice(mark).some((l) => l.includes('preloaded item put back'))).toBe(true);
    const from = speaker.pcm.frames;
    mark = d.out.lines.length;
    await d.cmd('play');
    const finished = await d.status((s) => s.idleReason === 'finished', mark, 8000);
    expect(String(finished.preloaded)).toMatch(/\/media\/2$/);
    const next = d.out.lines.indexOf(d.out.lines.slice(mark).find((l) => l.includes('"preloaded"'))!);
    await d.status((s) => s.state === 'playing' && s.duration === SECONDS, next, 2000);
    await d.status((s) => s.state === 'idle' && !s.preloaded, next, 8000);
    await d.cmd('close');
    // After the resume: the rest of track 1 (+0.3), then track 2 (−0.3) with no frame between.
    const out = speaker.pcm.slice(from);
    const a = firstLoud(out);
    expect(out[2 * a]!).toBeGreaterThan(LOUD);
    let lastPos = a;
    while (out[2 * (lastPos + 1)]! > LOUD) lastPos++;
    expect(out[2 * (lastPos + 1)]!).toBeLessThan(-LOUD);
    // What played of track 1 after the resume is what was left of it (less the 72 ms muted start).
    expect(Math.abs((lastPos - a + 1) / RATE - (SECONDS - Number(paused.position) - 0.072))).toBeLessThan(0.1);
  });
});
