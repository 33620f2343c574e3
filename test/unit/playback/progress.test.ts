// The progress tracker between a session and what remembers positions: saved every 10 s while
// playing (the receiver reporting nothing meanwhile), at once on pause, stop and another item; the
// position on a stop is the last report carried on, not the 0 some receivers report when idle; a
// play counts once, again only after a stop or the end. Timers are vitest's fake ones.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressTracker, SAVE_EVERY_MS, type ProgressSink } from '../../../server/playback/progress.js';
import type { SessionSnapshot } from '../../../server/playback/session-types.js';

type Call = [string, ...unknown[]];
let calls: Call[];
let tracker: ProgressTracker;

const sink: ProgressSink = {
  progress: (id, kind, position, duration) => void calls.push(['progress', id, kind, Math.round(position * 1000) / 1000, duration]),
  finished: (id) => void calls.push(['finished', id]),
  played: (id) => void calls.push(['played', id]),
  resumeAt: () => null,
};

function snap(id: number, state: SessionSnapshot['state'], position: number, rate: number, idleReason?: SessionSnapshot['idleReason']): SessionSnapshot {
  return {
    receiverId: 'r', state, position, at: Date.now(), rate, duration: 100, volume: { level: 1, muted: false }, index: 0, queue: [], repeat: 'off', shuffle: false,
    item: { id, title: `item ${id}`, kind: 'video', artHash: null, artUrl: null }, decision: null, subtitles: [], subtitle: null, ...(idleReason ? { idleReason } : {}),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  calls = [];
  tracker = new ProgressTracker(sink, (err) => { throw err; });
});
afterEach(() => {
  tracker.close();
  vi.useRealTimers();
});

describe('progress tracker', () => {
  it('saves every 10 s while playing, from the last report carried on at its rate', () => {
    tracker.observe(snap(1, 'playing', 20, 1));
    expect(calls).toEqual([['played', 1]]);
    vi.advanceTimersByTime(SAVE_EVERY_MS);
    vi.advanceTimersByTime(SAVE_EVERY_MS);
    expect(calls.slice(1)).toEqual([['progress', 1, 'video', 30, 100], ['progress', 1, 'video', 40, 100]]);
  });

  it('on a stop keeps where it was, not the 0 the idle receiver reports; the next play counts again', () => {
    tracker.observe(snap(1, 'playing', 20, 1));
    vi.advanceTimersByTime(3_500);
    tracker.observe(snap(1, 'idle', 0, 0, 'stopped'));
    expect(calls.at(-1)).toEqual(['progress', 1, 'video', 23.5, 100]);
    vi.advanceTimersByTime(SAVE_EVERY_MS * 3);
    expect(calls).toHaveLength(2);
    tracker.observe(snap(1, 'playing', 23.5, 1));
    expect(calls.at(-1)).toEqual(['played', 1]);
  });

  it('saves on pause, and when another item takes its place; a seek (reload) is not another play', () => {
    tracker.observe(snap(1, 'playing', 10, 1));
    vi.advanceTimersByTime(2_000);
    tracker.observe(snap(1, 'paused', 12, 0));
    expect(calls.at(-1)).toEqual(['progress', 1, 'video', 12, 100]);
    tracker.observe(snap(1, 'idle', 12, 0, 'interrupted'));
    tracker.observe(snap(1, 'playing', 50, 1));
    vi.advanceTimersByTime(1_000);
    tracker.observe(snap(2, 'playing', 0, 1));
    expect(calls.filter((c) => c[0] === 'played')).toEqual([['played', 1], ['played', 2]]);
    expect(calls).toContainEqual(['progress', 1, 'video', 51, 100]);
  });

  it('an item that ends is finished', () => {
    tracker.observe(snap(1, 'playing', 95, 1));
    tracker.observe(snap(1, 'idle', 100, 0, 'finished'));
    expect(calls.at(-1)).toEqual(['finished', 1]);
  });
});
