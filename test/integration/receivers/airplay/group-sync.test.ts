// Two real AirPlay speakers (shairport-sync 3.3.8) given the same track by one RaopGroup play each
// sample at the same moment. The outputs' content cannot show this (docs/testing.md): each output is
// placed in time from its stamped reads (schedule.ts), and the same beep onsets are compared.
// A 10 ms delay given to one speaker on purpose must be measured as 10 ms, so the test can fail.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../../helpers/netns.js';
import { readLines } from '../../../helpers/lines.js';
import { projectRoot } from '../../../helpers/paths.js';
import { StampedOutput } from './schedule.js';
import { startShairport, type Shairport } from './shairport.js';
import { median } from '../../../helpers/stats.js';

const RATE = 44100;
const PORTS = [5061, 5062] as const;
// 50 ms 1 kHz beeps at 0.25 s, 0.75 s, … for 4 s: eight sharp onsets after silence.
const BEEPS = 'aevalsrc=0.5*sin(2*PI*1000*t)*between(mod(t\\,0.5)\\,0.25\\,0.3):s=44100:d=4';

let ns: Netns;
const speakers: Shairport[] = [];
const outputs: StampedOutput[] = [];

beforeAll(async () => {
  ns = await createNetns();
  for (const [i, port] of PORTS.entries()) {
    const s = startShairport(ns, { port, name: `Room${i + 1}` });
    speakers.push(s);
    outputs.push(new StampedOutput(s.process.stdout!));
  }
  await Promise.all(speakers.map((s) => s.advertised()));
});

afterAll(async () => {
  await Promise.all(speakers.map((s) => s.stop()));
  await ns?.close();
});

/** Plays BEEPS to both speakers as one group (the second one `delayMs` late); offsets per beep in ms. */
async function playAndMeasure(delayMs: number): Promise<number[]> {
  const starts = outputs.map((o) => o.frames);
  const loudStarts = speakers.map((s) => s.pcm.loudFrames);
  const members = [String(PORTS[0]), delayMs ? `${PORTS[1]}:${delayMs}` : String(PORTS[1])];
  const child = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/integration/receivers/airplay/raop-group-driver.js'), ns.addr, ...members], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = readLines(child, 'raop-group-driver');
  await out.wait(/"event":"open"/, 15_000);
  child.stdin!.write(`play ${BEEPS}\n`);
  await out.wait(/"event":"ended"/, 15_000);
  // Eight beeps of 2205 frames each must have come out of both speakers.
  await Promise.all(speakers.map((s, i) => s.pcm.until(() => s.pcm.loudFrames >= loudStarts[i]! + 8 * 2200, 8000, 'all eight beeps')));
  child.stdin!.write('stop\n');
  await out.wait(/"event":"stopped"/, 10_000);

  const onsets = outputs.map((o, i) => o.onsets(1000, 2205, starts[i]));
  expect(onsets[0]).toHaveLength(8);
  expect(onsets[1]).toHaveLength(8);
  // Place each output in time from its reads after the lead-in (from just before the first beep).
  const offsets = onsets[0]!.map((a, k) => {
    const b = onsets[1]![k]!;
    const ta = outputs[0]!.msOfFrame(a, onsets[0]![0]! - 0.2 * RATE);
    const tb = outputs[1]!.msOfFrame(b, onsets[1]![0]! - 0.2 * RATE);
    return tb - ta;
  });
  if (process.env.SHOW_OFFSETS) process.stdout.write(`offsets (ms, delay ${delayMs}): ${offsets.map((o) => o.toFixed(3)).join(' ')}\n`);
  return offsets;
}

describe('one timeline for many AirPlay speakers', () => {
  it('plays the same track on two shairport-sync speakers within 2 ms of each other', async () => {
    const offsets = await playAndMeasure(0);
    for (const o of offsets) expect(Math.abs(o)).toBeLessThan(2);
  });

  it('measures a 10 ms delay given to one speaker as 10 ms', async () => {
    const offsets = await playAndMeasure(10);
    expect(Math.abs(median(offsets) - 10)).toBeLessThan(1);
    for (const o of offsets) expect(Math.abs(o - 10)).toBeLessThan(2);
  });
});
