// A software receiver's "DAC" once its session is closed: audio a decoder still delivers (decoded
// before the close, handed over after it) must not start it again. It did: a lead-in of up to the
// target delay written at once, then silence for ever into the same stream, where a group test
// placed the last beeps of a Chromecast up to 1.85 s early (CI, 2026-12-05).
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { ScheduledOutput } from '../../../../receivers/shared/scheduled-output.js';

const FRAME = 4;

it('writes nothing for audio added after close, and does not run on', async () => {
  let nowUs = 0;
  const out = new PassThrough();
  let written = 0;
  out.on('data', (d: Buffer) => (written += d.length));
  const output = new ScheduledOutput(out, () => nowUs, {}, 1000, 1024);
  // Started by a first chunk that plays 0.5 s from now: the lead-in of silence is written at once.
  output.add(500_000, Buffer.alloc(1024 * FRAME, 1));
  await new Promise((r) => setImmediate(r));
  expect(written).toBeGreaterThanOrEqual(Math.round(0.5 * 44100) * FRAME);
  output.close();
  const atClose = written;
  nowUs = 2_000_000;
  output.add(3_000_000, Buffer.alloc(1024 * FRAME, 1));
  await new Promise((r) => setImmediate(r));
  expect(written).toBe(atClose);
  expect(output.active).toBe(false);
});
