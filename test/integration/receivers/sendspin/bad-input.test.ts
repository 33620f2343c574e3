// Clients that break the Sendspin spec (malformed JSON, unknown types, binary frames, oversize
// messages, no hello, a flood of client/time) are closed with a code and a reason each can read,
// while a player that is playing meanwhile plays every beep on time and is never disturbed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../../../../receivers/airplay/raop/clock.js';
import { SendspinServer } from '../../../../receivers/sendspin/server.js';
import { beepTrack, newContext, paceOnTimeline, perfMsOfServerNs, sourceOnsets, startEmulator, untilOutput, type Emulator } from './fixture.js';
import { helloPayload, rawClient } from './raw-client.js';

let server: SendspinServer;
let url: string;
let good: Emulator;

beforeAll(async () => {
  server = new SendspinServer({ id: 'hc', name: 'Homecast', limits: { helloTimeoutMs: 500 } });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  url = `ws://127.0.0.1:${port}/sendspin`;
  const joined = new Promise((resolve) => server.once('player', resolve));
  good = startEmulator(['--server', url, '--name', 'Good', '--id', 'good']);
  await joined;
  await good.events.waitFor((l) => l.event === 'synced');
});

afterAll(async () => {
  await good?.stop();
  await server?.close();
});

/** Connects, does `act`, and resolves with how the server closed the socket. */
async function misbehave(act: (c: Awaited<ReturnType<typeof rawClient>>) => void | Promise<void>) {
  const c = await rawClient(url);
  await act(c);
  const closed = await c.closed;
  return { ...closed, timeAnswers: c.messages.filter((m) => m.type === 'server/time').length };
}

describe('Sendspin server under bad input', () => {
  it('closes each bad client with a reason; a player playing meanwhile keeps every beep on time', { timeout: 40_000 }, async () => {
    const track = beepTrack(4);
    const beeps = sourceOnsets(track);
    const ctx = newContext();
    const member = server.member('sendspin:good', ctx);
    const errors: Error[] = [];
    member.on('error', (e) => errors.push(e));
    const start = good.output.frames;
    const playing = paceOnTimeline([member], track, ctx);

    const hello = (c: Awaited<ReturnType<typeof rawClient>>, id: string) => {
      c.send('client/hello', helloPayload(id));
      return c.next('server/hello');
    };
    const results = await Promise.all([
      misbehave((c) => c.ws.send('{"type": "client/hello", "payload": {')),
      misbehave(async (c) => {
        await hello(c, 'u');
        c.send('client/dance', {});
      }),
      misbehave(async (c) => {
        await hello(c, 'b');
        c.ws.send(Buffer.from([4, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xfe]));
      }),
      misbehave((c) => c.ws.send('x'.repeat(100_000))),
      misbehave(() => {}),
      misbehave((c) => c.send('client/time', { client_transmitted: 1 })),
      misbehave(async (c) => {
        await hello(c, 'flood');
        for (let i = 0; i < 500; i++) c.send('client/time', { client_transmitted: i });
      }),
      misbehave((c) => c.send('client/hello', { ...helloPayload('v2'), version: 2 })),
    ]);
    expect(results.map(({ code, reason }) => ({ code, reason }))).toEqual([
      { code: 1007, reason: expect.stringMatching(/^malformed JSON/) },
      { code: 1008, reason: 'unknown message type "client/dance"' },
      { code: 1003, reason: 'clients send no binary messages' },
      { code: 1009, reason: '' },
      { code: 1008, reason: 'no client/hello within 500 ms' },
      { code: 1008, reason: 'client/time before client/hello' },
      { code: 1008, reason: 'too many client/time (over 20/s)' },
      { code: 1008, reason: expect.stringMatching(/^bad client\/hello payload: version/) },
    ]);
    // The flood got answers up to the burst allowance, then the door.
    expect(results[6]!.timeAnswers).toBeGreaterThanOrEqual(40);
    expect(results[6]!.timeAnswers).toBeLessThan(60);

    await playing;
    await untilOutput(good, () => good.output.onsets(1000, 2205, start).length >= 8 && good.output.frames > good.output.onsets(1000, 2205, start)[7]! + 0.3 * SAMPLE_RATE, 15_000, 'eight beeps');
    await member.stop();
    const onsets = good.output.onsets(1000, 2205, start);
    expect(onsets).toHaveLength(8);
    for (const [k, o] of onsets.entries()) {
      const measured = good.output.msOfFrame(o, onsets[0]! - 0.2 * SAMPLE_RATE);
      expect(Math.abs(measured - perfMsOfServerNs(ctx.timeline.nsAtFrames(beeps[k]! + ctx.latency)))).toBeLessThan(1);
    }
    expect(errors).toEqual([]);
    expect(good.events.lines.filter((l) => l.event === 'late' || l.event === 'disconnected' || l.event === 'overflow')).toEqual([]);
    expect(server.players().map((p) => p.id)).toEqual(['sendspin:good']);
  });
});
