// The AirPlay receiver driver against a real speaker: shairport-sync 3.3.8 in a network namespace
// (shairport.ts), playing a FLAC file that a small HTTP server inside the namespace serves, as our
// media routes would. The driver runs inside the namespace too (speaker-runner.ts).
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLoud } from './pcm-compare.js';
import type { Shairport } from './shairport.js';
import { makeSignals, startKitchen, type Kitchen, type Signals } from './speaker-fixture.js';
import type { Driver } from './speaker-runner.js';

const PORT = 5055;
const RATE = 44100;
let kitchen: Kitchen;
let speaker: Shairport;
let signals: Signals;

/** A driver for this test; a test that fails midway does not leave it holding the speaker. */
const driver = (file = 'tone.flac'): Driver => kitchen.driver({ file: signals.path(file) });

/** ramp.flac is a level that rises with time: each sample says which second of the file it is. */
const RAMP = (t: string): string => `0.05+0.8*${t}/12`;
const rampSecond = (sample: number): number => ((sample / 32768 - 0.05) * 12) / 0.8;

beforeAll(async () => {
  signals = makeSignals('airplay-driver-');
  signals.flac('tone.flac', 'sine=frequency=440:sample_rate=44100:duration=12');
  signals.flac('ramp.flac', `aevalsrc=${RAMP('t')}|${RAMP('t')}:s=44100:d=12`);
  kitchen = await startKitchen({ port: PORT });
  speaker = kitchen.speaker;
});

afterAll(async () => {
  await kitchen?.close();
  signals?.close();
});

describe('AirPlay driver → shairport-sync', () => {
  it('loads a FLAC over HTTP, plays, pauses, resumes and stops', { timeout: 30_000 }, async () => {
    const d = driver();
    await d.cmd('connect');
    const loudStart = speaker.pcm.loudFrames;
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'loading', mark);
    const playing = await d.status((s) => s.state === 'playing', mark, 8000);
    expect(playing.rate).toBe(1);
    expect(playing.duration).toBe(12);

    // The speaker's output is the tone, not silence.
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudStart + RATE / 2, 6000, '0.5 s of tone');
    const a = await d.now();
    await delay(1000);
    const b = await d.now();
    expect(b.state).toBe('playing');
    expect(Number(b.position) - Number(a.position)).toBeGreaterThan(0.7);
    expect(Number(b.position) - Number(a.position)).toBeLessThan(1.3);

    mark = d.out.lines.length;
    await d.cmd('pause');
    const paused = await d.status((s) => s.state === 'paused', mark);
    await delay(500);
    const held = await d.now();
    expect(held.state).toBe('paused');
    expect(held.position).toBe(paused.position);
    expect(Number(paused.position)).toBeGreaterThan(1);

    mark = d.out.lines.length;
    const loudAtResume = speaker.pcm.loudFrames;
    await d.cmd('play');
    await d.status((s) => s.state === 'playing', mark, 8000);
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudAtResume + RATE / 4, 6000, 'tone after resume');
    const resumed = await d.now();
    expect(Number(resumed.position)).toBeGreaterThanOrEqual(Number(paused.position));

    mark = d.out.lines.length;
    await d.cmd('stop');
    const stopped = await d.status((s) => s.state === 'idle', mark);
    expect(stopped.idleReason).toBe('stopped');
    await d.cmd('close');
  });

  it('after a pause or a seek, plays from there: nothing decoded for the old position comes after the FLUSH', { timeout: 30_000 }, async () => {
    const d = driver('ramp.flac');
    let mark = d.out.lines.length;
    const loudStart = speaker.pcm.loudFrames;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    // shairport-sync writes audio 1 s before it is due: 2 s out is about 1 s heard.
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudStart + 2 * RATE, 8000, '2 s of audio');
    mark = d.out.lines.length;
    await d.cmd('pause');
    const paused = Number((await d.status((s) => s.state === 'paused', mark)).position);
    expect(paused).toBeGreaterThan(0.5);
    /**
     * The second of the file that the first audio after the FLUSH carries: past what was still
     * coming out from before it (shairport-sync writes 1 s ahead) and the silence after it.
     */
    const firstHeard = async (from: number, loudBase: number): Promise<number> => {
      await speaker.pcm.until(() => speaker.pcm.loudFrames >= loudBase + RATE, 8000, 'audio after the flush');
      const out = speaker.pcm.slice(from);
      let f = 0;
      while (f < out.length / 2 && firstLoud(out, f) === f) f++; // the old position's tail
      return rampSecond(out[2 * firstLoud(out, f)]!);
    };
    let from = speaker.pcm.frames;
    let loud = speaker.pcm.loudFrames;
    await d.cmd('play');
    // The first 9 packets after a flush are muted by shairport-sync (72 ms).
    const resumedAt = await firstHeard(from, loud);
    expect(resumedAt - paused).toBeGreaterThan(-0.05);
    expect(resumedAt - paused).toBeLessThan(0.2);

    from = speaker.pcm.frames;
    loud = speaker.pcm.loudFrames;
    await d.cmd('seek 8');
    const soughtAt = await firstHeard(from, loud);
    expect(soughtAt - 8).toBeGreaterThan(-0.05);
    expect(soughtAt - 8).toBeLessThan(0.2);
    await d.cmd('stop');
    await d.cmd('close');
  });

  it('a pause in the last seconds, when all audio was sent but not yet heard, resumes from there and then finishes', { timeout: 30_000 }, async () => {
    const d = driver('ramp.flac');
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    mark = d.out.lines.length;
    await d.cmd('seek 10.8');
    // 'playing' comes when the seek's first frame is heard, 2 s after it went out: by then the
    // remaining 1.2 s were all sent and are waiting in the speaker.
    await d.status((s) => s.state === 'playing', mark, 8000);
    mark = d.out.lines.length;
    await d.cmd('pause');
    const paused = Number((await d.status((s) => s.state === 'paused', mark)).position);
    expect(paused).toBeLessThan(11.5);
    await delay(2500); // longer than what was buffered: the item must not end while paused
    expect((await d.now()).state).toBe('paused');
    const from = speaker.pcm.frames;
    const loud = speaker.pcm.loudFrames;
    mark = d.out.lines.length;
    await d.cmd('play');
    await speaker.pcm.until(() => speaker.pcm.loudFrames >= loud + RATE / 4, 8000, 'the rest of the item after the resume');
    const out = speaker.pcm.slice(from);
    const heard = rampSecond(out[2 * firstLoud(out)]!);
    expect(heard - paused).toBeGreaterThan(-0.05);
    expect(heard - paused).toBeLessThan(0.2);
    const done = await d.status((s) => s.state === 'idle', mark, 8000);
    expect(done.idleReason).toBe('finished');
    await d.cmd('close');
  });

  it('seeks near the end, then reports the item finished', { timeout: 20_000 }, async () => {
    const d = driver();
    let mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    mark = d.out.lines.length;
    await d.cmd('seek 9.5');
    await d.status((s) => s.state === 'buffering' && s.position === 9.5, mark);
    const after = await d.status((s) => s.state === 'playing', mark, 8000);
    expect(Number(after.position)).toBeCloseTo(9.5, 1);
    const done = await d.status((s) => s.state === 'idle', mark, 8000);
    expect(done.idleReason).toBe('finished');
    expect(done.position).toBe(12);
    await d.cmd('close');
  });

  it('fails a load whose media cannot be read, with the reason', { timeout: 20_000 }, async () => {
    const d = driver();
    const mark = d.out.lines.length;
    await expect(d.cmd('loadurl http://127.0.0.1:1/media/404')).rejects.toThrow(/Kitchen cannot play missing/);
    const failed = await d.status((s) => s.state === 'idle', mark);
    expect(failed.idleReason).toBe('error');
    expect(String(failed.error)).toMatch(/cannot play missing/);
    await d.cmd('close');
  });

  // Last: it takes the speaker away.
  it('reports the speaker going away while playing', { timeout: 20_000 }, async () => {
    const d = driver();
    const mark = d.out.lines.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);
    speaker.process.kill('SIGTERM');
    const gone = await d.status((s) => s.state === 'idle', mark, 5000);
    expect(gone.idleReason).toBe('gone');
    await d.out.wait(/"event":"gone"/, 2000);
    await d.cmd('close');
  });
});
