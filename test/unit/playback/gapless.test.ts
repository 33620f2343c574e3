// Gapless hand-over (server/playback/gapless.ts), on its own: the next queue entry is given to a
// receiver that preloads PRELOAD_AHEAD_S before the current one ends, once; the receiver going on
// to that URL is the advance; any other URL, or a queue changed since, is not.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gapless, PRELOAD_AHEAD_S, type GaplessHost } from '../../../server/playback/gapless.js';
import type { Playable } from '../../../server/playback/playable.js';
import { emptyQueue, type QueueState } from '../../../server/playback/queue.js';
import type { LoadRequest, Receiver, ReceiverDescriptor } from '../../../receivers/types.js';
import { profileForModel } from '../../../receivers/chromecast/profile.js';

const item = (id: number): Playable => ({ id, kind: 'audio', title: `T${id}`, duration: 30, mime: 'audio/flac', artHash: null, media: null, hdr: null, subtitles: [] });
const d = { id: 'airplay:k', kind: 'airplay', name: 'Kitchen', model: null, host: '10.0.0.2', port: 7000, type: 'speaker', online: true, lastSeen: 1, source: 'config' } as ReceiverDescriptor;

function setup(position: number) {
  const preloads: LoadRequest[] = [];
  const receiver = { preload: (r: LoadRequest) => void preloads.push(r) } as unknown as Receiver;
  let q: QueueState = { ...emptyQueue(), entries: [1, 2, 3].map((n) => ({ entryId: n, itemId: n, title: `T${n}`, kind: 'audio' as const, duration: 30 })), index: 0 };
  const advanced: number[] = [];
  const host: GaplessHost = {
    receiverId: d.id,
    deps: {
      descriptor: () => d,
      connect: () => receiver,
      item,
      profile: () => profileForModel('Chromecast'),
      loadRequest: async (_d, it) => ({ url: `http://x/media/${it.id}`, contentType: 'audio/flac', metadata: { title: it.title, kind: 'audio' }, duration: 30, startAt: 0, live: false }),
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    },
    receiver: () => receiver,
    goingOn: () => true,
    duration: () => 30,
    queue: () => q,
    positionNow: () => position,
    decide: () => ({ kind: 'direct', reasons: [] }),
    run: (c) => c(),
    advance: (index) => {
      advanced.push(index);
      q = { ...q, index };
    },
  };
  return { g: new Gapless(host), preloads, advanced, setQueue: (f: (q: QueueState) => QueueState) => (q = f(q)) };
}

afterEach(() => void vi.useRealTimers());

describe('gapless hand-over', () => {
  it(`gives the next entry ${PRELOAD_AHEAD_S} s before the end, once; going on to it is the advance`, async () => {
    vi.useFakeTimers();
    const { g, preloads, advanced } = setup(15);
    g.schedule();
    await vi.advanceTimersByTimeAsync((30 - 15 - PRELOAD_AHEAD_S) * 1000 - 10);
    expect(preloads).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(preloads.map((r) => r.url)).toEqual(['http://x/media/2']);
    g.schedule();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(preloads).toHaveLength(1);
    expect(g.advanced('http://x/media/3')).toBe(false);
    expect(advanced).toEqual([]);
  });

  it('the advance: the receiver went on to the preloaded URL while it is still what comes next', async () => {
    const { g, preloads, advanced, setQueue } = setup(25);
    g.schedule();
    await vi.waitFor(() => expect(preloads).toHaveLength(1));
    expect(g.advanced('http://x/media/2')).toBe(true);
    expect(advanced).toEqual([1]);
    // Preloaded again (entry 3), then the queue changes: going on to it is no advance.
    g.schedule();
    await vi.waitFor(() => expect(preloads).toHaveLength(2));
    setQueue((q) => ({ ...q, entries: q.entries.filter((e) => e.entryId !== 3) }));
    expect(g.advanced('http://x/media/3')).toBe(false);
  });
});
