// The emulated player's clock sync (receivers/sendspin/emulator/time-sync.ts) on a simulated link:
// bursts as the reference client sends them, and a burst taken while a process was descheduled
// (one long, one-sided delay) skipped instead of moving the clock by half its round trip.
import { afterEach, describe, expect, it } from 'vitest';
import { TimeSync } from '../../../../receivers/sendspin/emulator/time-sync.js';

const OFFSET = 1_000_000; // server clock − client clock, µs
let sync: TimeSync | null = null;

afterEach(() => sync?.stop());

/** A link where each request takes `up` µs to reach the server and each answer `down` µs back. */
function link(delays: () => { up: number; down: number }) {
  let now = 5_000_000;
  const events: string[] = [];
  const s: TimeSync = new TimeSync(
    (t1) => {
      const { up, down } = delays();
      const at = t1 + up + OFFSET;
      now = t1 + up + down;
      queueMicrotask(() => s.onServerTime({ client_transmitted: t1, server_received: at, server_transmitted: at }));
    },
    () => now,
    (rtt) => events.push(`synced ${rtt}`),
    (rtt) => events.push(`skipped ${rtt}`),
  );
  return { sync: s, events, advance: (us: number) => (now += us) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Sendspin emulator clock sync', () => {
  it('takes a burst of 8 probes and lands on the offset; skips a burst with a one-sided 6 ms delay', async () => {
    let slow = false;
    const l = link(() => (slow ? { up: 6000, down: 100 } : { up: 100, down: 100 }));
    sync = l.sync;
    l.sync.start();
    await settle();
    expect(l.events).toEqual(['synced 200']);
    expect(l.sync.filter.clientTime(OFFSET + 42)).toBe(42);

    slow = true;
    l.advance(10_000_000);
    l.sync.start();
    await settle();
    expect(l.events).toEqual(['synced 200', 'skipped 6100']);
    // Taken, this burst would put the clock 2.95 ms off.
    expect(l.sync.filter.clientTime(OFFSET + 42)).toBe(42);

    slow = false;
    l.advance(10_000_000);
    l.sync.start();
    await settle();
    expect(l.events.at(-1)).toBe('synced 200');
    expect(Math.abs(l.sync.filter.clientTime(OFFSET + 42) - 42)).toBeLessThanOrEqual(1);
  });
});
