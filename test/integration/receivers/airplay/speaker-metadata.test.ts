// What a speaker's display gets: shairport-sync 3.3.8 with its metadata pipe on, fed by the driver.
// Track info arrives as 'core' minm/asar/asal, the cover as 'ssnc' PICT (bytes as sent), progress as
// 'ssnc' prgr "start/curr/end" in RTP timestamps, again after a seek and after a resume.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { MetadataPipe } from './metadata-pipe.js';
import type { Shairport } from './shairport.js';
import { ffmpeg, makeSignals, startKitchen, type Kitchen, type Signals } from './speaker-fixture.js';

const PORT = 5057;
const RATE = 44100;
const DURATION = 10;
let kitchen: Kitchen;
let speaker: Shairport;
let pipe: MetadataPipe;
let signals: Signals;

/** prgr data "start/curr/end" → numbers, with curr and end relative to start (mod 2^32). */
function progress(data: Buffer): { start: number; curr: number; end: number } {
  const [start, curr, end] = data.toString('latin1').trim().split('/').map(Number) as [number, number, number];
  const rel = (x: number): number => (x - start + 2 ** 32) % 2 ** 32;
  return { start, curr: rel(curr), end: rel(end) };
}

beforeAll(async () => {
  signals = makeSignals('airplay-metadata-');
  signals.flac('tone.flac', `sine=frequency=440:sample_rate=44100:duration=${DURATION}`);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=120x120', '-frames:v', '1', signals.path('cover.jpg')]);
  kitchen = await startKitchen({ port: PORT, metadataPipe: signals.path('meta') });
  speaker = kitchen.speaker;
  pipe = kitchen.pipe!;
});

afterAll(async () => {
  await kitchen?.close();
  signals?.close();
});

describe('AirPlay driver → shairport-sync metadata', () => {
  it('sends title, artist, album, cover and progress; progress again after seek and resume', { timeout: 40_000 }, async () => {
    onTestFailed(() => console.error(`shairport-sync log:\n${speaker.log()}`));
    const d = kitchen.driver({
      file: signals.path('tone.flac'),
      duration: DURATION,
      art: { file: signals.path('cover.jpg'), type: 'image/jpeg' },
      metadata: { title: 'Blue in Green', artist: 'Miles Davis', album: 'Café Zürich' },
    });
    let mark = d.out.lines.length;
    const at = pipe.items.length;
    await d.cmd('load 0');
    await d.status((s) => s.state === 'playing', mark, 8000);

    const text = async (code: string): Promise<string> => (await pipe.wait(code, 5000, at)).data.toString('utf8');
    expect(await text('minm')).toBe('Blue in Green');
    expect(await text('asar')).toBe('Miles Davis');
    expect(await text('asal')).toBe('Café Zürich');
    const pict = await pipe.wait('PICT', 5000, at);
    expect(pict.type).toBe('ssnc');
    expect(pict.data.equals(readFileSync(signals.path('cover.jpg')))).toBe(true);
    // The cover is fetched once for the item (the driver's fetch is the one the speaker gets).
    expect(d.out.lines.filter((l) => l.startsWith('{"event":"served"')).length).toBe(1);

    const first = progress((await pipe.wait('prgr', 5000, at)).data);
    expect(first.end).toBe(DURATION * RATE);
    // Loaded at 0: the segment starts at the item's start (within one packet of estimate).
    expect(first.curr).toBeLessThanOrEqual(352);
    // Track info and art are tagged with the item's start on the stream.
    expect(Number(pipe.find('mdst', at)[0]!.data.toString())).toBe(first.start);
    expect(Number(pipe.find('pcst', at)[0]!.data.toString())).toBe(first.start);

    mark = d.out.lines.length;
    let before = pipe.items.length;
    await d.cmd('seek 6');
    await d.status((s) => s.state === 'playing', mark, 8000);
    const sought = progress((await pipe.wait('prgr', 5000, before)).data);
    expect(Math.abs(sought.curr - 6 * RATE)).toBeLessThanOrEqual(352);
    expect(sought.end).toBe(DURATION * RATE);

    await d.cmd('pause');
    const paused = await d.now();
    before = pipe.items.length;
    mark = d.out.lines.length;
    await d.cmd('play');
    await d.status((s) => s.state === 'playing', mark, 8000);
    const resumed = progress((await pipe.wait('prgr', 5000, before)).data);
    expect(Math.abs(resumed.curr - Number(paused.position) * RATE)).toBeLessThanOrEqual(352);
    expect(resumed.end).toBe(DURATION * RATE);
    // Track info is sent once per item, not again on seek or resume.
    expect(pipe.find('minm', at)).toHaveLength(1);
    await d.cmd('stop');
    await d.cmd('close');
  });
});
