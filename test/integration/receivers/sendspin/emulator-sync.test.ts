// Two software Sendspin players (our emulator, following the reference client's clock sync) given
// a beep track through SendspinServer.member() on one timeline of the server clock play each beep
// at its timeline time: each output is placed in time from its stamped reads (StampedOutput, as
// the AirPlay group-sync test does) and compared with the time the timeline gives that frame. A
// 20 ms delay given to one of them on purpose must be measured as 20 ms, so the test can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../../receivers/airplay/raop/clock.js';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';
import { beepTrack, newContext, paceOnTimeline, perfMsOfServerNs, sourceOnsets, startEmulator, untilOutput, type Emulator } from './fixture.js';

let server: SendspinServer;
const players: Emulator[] = [];

beforeAll(async () => {
  server = new SendspinServer({ id: 'test-server', name: 'Test' });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  const seen = new Set<string>();
  const both = new Promise<void>((resolve) =>
    server.on('player', (d) => {
      seen.add(d.id);
      if (seen.size === 2) resolve();
    }),
  );
  for (const id of ['a', 'b']) players.push(startEmulator(['--server', `ws://127.0.0.1:${port}/sendspin`, '--name', `Room ${id}`, '--id', id]));
  await both;
  await Promise.all(players.map((p) => p.events.waitFor((l) => l.event === 'synced')));
});

afterAll(async () => {
  await Promise.all(players.map((p) => p.stop()));
  await server?.close();
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('Sendspin players on one timeline', () => {
  it('play each beep at its timeline time within 1 ms; a 20 ms delay is measured as 20 ± 2 ms', { timeout: 30_000 }, async () => {
    const track = beepTrack(4);
    const beeps = sourceOnsets(track);
    expect(beeps).toHaveLength(8);
    const ctx = newContext();
    const delays = [0, 20];
    const members = ['a', 'b'].map((id, i) => server.member(`sendspin:${id}`, ctx, { delayMs: delays[i]! }));
    const starts = players.map((p) => p.output.frames);
    await paceOnTimeline(members, track, ctx);
    // Every beep must have come out: the last one ends 3.8 s into the track.
    await Promise.all(players.map((p, i) => untilOutput(p, () => p.output.onsets(1000, 2205, starts[i]).length >= 8 && p.output.frames > p.output.onsets(1000, 2205, starts[i])[7]! + 0.3 * SAMPLE_RATE, 15_000, 'eight beeps')));
    await Promise.all(members.map((m) => m.stop()));

    const errors = players.map((p, i) => {
      const onsets = p.output.onsets(1000, 2205, starts[i]);
      expect(onsets).toHaveLength(8);
      // The same samples as the source (volume 100: bit-exact).
      expect(Buffer.from(p.output.samples(onsets[0]!, onsets[0]! + 2205).buffer).equals(track.subarray(beeps[0]! * 4, (beeps[0]! + 2205) * 4))).toBe(true);
      return onsets.map((o, k) => {
        const measured = p.output.msOfFrame(o, onsets[0]! - 0.2 * SAMPLE_RATE);
        const expected = perfMsOfServerNs(ctx.timeline.nsAtFrames(beeps[k]! + ctx.latency));
        return measured - expected;
      });
    });
    if (process.env.SHOW_OFFSETS) process.stdout.write(`errors vs timeline (ms): ${errors.map((e) => e.map((x) => x.toFixed(3)).join(' ')).join(' | ')}\n`);
    for (const e of errors[0]!) expect(Math.abs(e)).toBeLessThan(1);
    for (const e of errors[1]!) expect(Math.abs(e - 20)).toBeLessThan(2);
    expect(Math.abs(median(errors[1]!) - median(errors[0]!) - 20)).toBeLessThan(2);
  });
});
