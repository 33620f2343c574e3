// Session snapshots a remote is pushed, kept in order, and waits on them: for tests that read where
// a receiver is from its own reports (position at `at`, moving at `rate`), not from wall-clock sleeps.
import type { Socket } from 'socket.io-client';
import type { SessionSnapshot } from '../../server/playback/session.js';

export interface SessionPushes {
  all: SessionSnapshot[];
  /** The first push for this receiver (from push number `from` on) that matches; `received`: when it reached us. */
  next(receiverId: string, match: (s: SessionSnapshot) => boolean, from?: number, timeoutMs?: number): Promise<{ s: SessionSnapshot; received: number; index: number }>;
  /** Once the receiver's own timeline passes `target` seconds while it plays (receivers report on changes, not every second). */
  reaches(receiverId: string, target: number, from?: number): Promise<void>;
  /** Stops the receiver; the saved position must lie between its last report before idle and that report carried on to when its idle push came. */
  stopAndBound(receiverId: string, stop: () => Promise<unknown>): Promise<{ low: number; high: number }>;
}

export function sessionPushes(socket: Socket): SessionPushes {
  const all: SessionSnapshot[] = [];
  socket.on('session', (s: SessionSnapshot) => all.push(s));
  const next: SessionPushes['next'] = (receiverId, match, from = 0, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const index = all.findIndex((s, i) => i >= from && s.receiverId === receiverId && match(s));
        if (index < 0) return false;
        socket.off('session', check);
        clearTimeout(timer);
        resolve({ s: all[index]!, received: Date.now(), index });
        return true;
      };
      const timer = setTimeout(() => (socket.off('session', check), reject(new Error(`no session push for ${receiverId} as awaited; last: ${JSON.stringify(all.filter((s) => s.receiverId === receiverId).at(-1))}`))), timeoutMs);
      if (!check()) socket.on('session', check);
    });
  return {
    all,
    next,
    async reaches(receiverId, target, from = 0) {
      for (;;) {
        const { s, index } = await next(receiverId, (x) => x.state === 'playing' && x.rate > 0, from);
        const due = s.at + ((target - s.position) / s.rate) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        if (all.filter((x) => x.receiverId === receiverId).at(-1) === s) return;
        from = index + 1;
      }
    },
    async stopAndBound(receiverId, stop) {
      const from = all.length;
      await stop();
      const idle = await next(receiverId, (s) => s.state === 'idle', from);
      const last = all.slice(0, idle.index).filter((s) => s.receiverId === receiverId && s.state !== 'idle').at(-1)!;
      return { low: last.position, high: last.position + (last.rate * (idle.received - last.at)) / 1000 };
    },
  };
}
