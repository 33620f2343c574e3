// Two software Sendspin players (our emulator, following the reference client's clock sync) given
// a beep track through SendspinServer.member() on one timeline of the server clock play each beep
// at its timeline time: each output is placed in time from its stamped reads (StampedOutput, as
// the AirPlay group-sync test does) and compared with the time the timeline gives that frame. A
// 20 ms delay given to one of them on purpose must be measured as 20 ms, so the test can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../../receivers/airplay/raop/clock.js';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';
import { beepTrack, newContext, paceOnTimeline, perfMsOfServerNs, sourceOnsets, startEmulator, untilOutput, type Emulator } from './fixture.js';
import { median } from '../../../helpers/stats.js';

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

  it('scales its samples by the volume the server sets (the reference curve: (v/100)^1.5)', { timeout: 20_000 }, async () => {
    const track = beepTrack(1);
    const ctx = newContext();
    const m = server.member('sendspin:a', ctx, { volume: 0.5, muted: false });
    await players[0]!.events.waitFor((l) => l.event === 'volume' && l.volume === 50);
    const start = players[0]!.output.frames;
    await paceOnTimeline([m], track, ctx);
    const out = players[0]!.output;
    await untilOutput(players[0]!, () => out.onsets(300, 2205, start).length >= 2 && out.frames > out.onsets(300, 2205, start)[1]! + 2205, 10_000, 'two beeps');
    const from = players[0]!.events.lines.length;
    await m.setVolume(1, false);
    await players[0]!.events.waitFor((l) => l.event === 'volume' && l.volume === 100, 5000, from);
    await m.stop();
    const [onset] = out.onsets(300, 2205, start);
    const [src] = sourceOnsets(track, 300);
    const got = out.samples(onset!, onset! + 2000);
    const gain = Math.pow(0.5, 1.5);
    for (let i = 0; i < 2000; i++) expect(Math.abs(got[2 * i]! - Math.round(track.readInt16LE((src! + i) * 4) * gain))).toBeLessThanOrEqual(1);
  });

  it('a player joining a playing timeline plays in sync from its first beep; the other plays on without a gap', { timeout: 30_000 }, async () => {
    const track = beepTrack(4);
    const beeps = sourceOnsets(track);
    const ctx = newContext();
    const members = [server.member('sendspin:a', ctx)];
    const starts = players.map((p) => p.output.frames);
    // Between the 2nd and 3rd beep, 0.35 s before the 3rd: the joiner's output is placed in time from
    // 0.2 s before its first beep, after its lead-in (written at once, early: schedule.ts).
    const joinAt = Math.round(0.9 * SAMPLE_RATE);
    await paceOnTimeline(members, track, ctx, 0, (f) => {
      if (f >= joinAt && members.length === 1) members.push(server.member('sendspin:b', ctx));
    });
    await Promise.all(players.map((p, i) => untilOutput(p, () => p.output.onsets(1000, 2205, starts[i]).length >= (i ? 6 : 8) && p.output.frames > p.output.onsets(1000, 2205, starts[i]).at(-1)! + 0.3 * SAMPLE_RATE, 15_000, 'the beeps')));
    await Promise.all(members.map((m) => m.stop()));

    const [a, b] = players.map((p, i) => p.output.onsets(1000, 2205, starts[i]));
    expect(a).toHaveLength(8);
    expect(b).toHaveLength(6); // beeps at 1.25 s … 3.75 s
    const errorsOf = (p: Emulator, onsets: number[], firstBeep: number) =>
      onsets.map((o, k) => p.output.msOfFrame(o, onsets[0]! - 0.2 * SAMPLE_RATE) - perfMsOfServerNs(ctx.timeline.nsAtFrames(beeps[firstBeep + k]! + ctx.latency)));
    for (const e of errorsOf(players[0]!, a!, 0)) expect(Math.abs(e)).toBeLessThan(1);
    for (const e of errorsOf(players[1]!, b!, 2)) expect(Math.abs(e)).toBeLessThan(1);
    // The first player's output across the join is the source, sample for sample.
    const span = beeps[7]! + 2205 - beeps[0]!;
    expect(Buffer.from(players[0]!.output.samples(a![0]!, a![0]! + span).buffer).equals(track.subarray(beeps[0]! * 4, (beeps[0]! + span) * 4))).toBe(true);
  });
});
