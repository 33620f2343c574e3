// The group receiver's bookkeeping, with members that record what they are given (the sync itself,
// with real speakers, is test/integration/receivers/group/group-speakers.test.ts): the backfill a
// joining member gets, the group volume keeping the members' balance, members' states, followers
// that fail without stopping the group, and bad requests refused.
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GroupStream, JOIN_LEAD_MS } from '../../../../receivers/group/stream.js';
import { createGroupReceiver, REJOIN_FIRST_MS } from '../../../../receivers/group/receiver.js';
import type { GroupMemberSpec, GroupReceiver, MemberFactory } from '../../../../receivers/group/types.js';
import type { TimelineMember, TimelineMemberEvents } from '../../../../receivers/shared/timeline-member.js';
import type { LoadRequest, Receiver, ReceiverDescriptor } from '../../../../receivers/types.js';

class Recorded extends EventEmitter<TimelineMemberEvents> implements TimelineMember {
  frames: number[] = [];
  volume: [number, boolean] | undefined;
  stopped = false;
  constructor(readonly id: string, readonly name = id) {
    super();
  }
  sendAt(_pcm: Buffer, frame: number): void {
    this.frames.push(frame);
  }
  async flush(): Promise<void> {}
  resume(): void {}
  async setVolume(level: number, muted: boolean): Promise<void> {
    this.volume = [level, muted];
  }
  setDelay(): void {}
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

const PACKET = Buffer.alloc(352 * 4);
async function* silence(packets: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < packets; i++) yield PACKET;
}

describe('GroupStream', () => {
  it('gives a member joining a running stream the recent packets it can still play in time, at their frames', { timeout: 10_000 }, async () => {
    const s = new GroupStream();
    const a = new Recorded('a');
    s.join(a);
    // 1.5 s of packets: they go out up to SEND_AHEAD_MS early, so most are still well ahead.
    await s.play(silence(Math.ceil((1.5 * 44100) / 352)));
    const b = new Recorded('b');
    const now = s.clock.nowNs();
    s.join(b);
    expect(b.frames.length).toBeGreaterThan(0);
    // The newest of a's, in order, none due sooner than the join lead.
    expect(b.frames).toEqual(a.frames.slice(-b.frames.length));
    const soonestMs = Number(s.timeline.nsAtFrames(b.frames[0]! + s.latency) - now) / 1e6;
    expect(soonestMs).toBeGreaterThanOrEqual(JOIN_LEAD_MS);
    // The packet before those would have been too late for it.
    const before = a.frames[a.frames.length - b.frames.length - 1]!;
    expect(Number(s.timeline.nsAtFrames(before + s.latency) - now) / 1e6).toBeLessThan(JOIN_LEAD_MS);
    // A member that fails is dropped alone.
    a.emit('error', new Error('gone'));
    expect(s.members()).toEqual([b]);
    expect(a.stopped).toBe(true);
    await s.stop();
    expect(b.stopped).toBe(true);
  });
});

describe('createGroupReceiver', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'group-unit-'));
    file = join(dir, 'tone.flac');
    const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=20', '-ac', '2', file]);
    expect(r.status).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const d: ReceiverDescriptor = { id: 'group:1', kind: 'group', name: 'Downstairs', model: null, host: '', port: 0, type: 'group', online: true, lastSeen: 0, source: 'config' };
  const req = (): LoadRequest => ({ url: file, contentType: 'audio/flac', metadata: { title: 'tone', kind: 'audio' }, duration: 20, startAt: 0, live: false });
  const spec = (id: string, volume = 1): GroupMemberSpec => ({ id, delayMs: 0, volume, muted: false });

  function group(specs: GroupMemberSpec[], open: (s: GroupMemberSpec) => Promise<Awaited<ReturnType<MemberFactory['open']>>>): { g: GroupReceiver; opened: Map<string, Recorded> } {
    const opened = new Map<string, Recorded>();
    const factory: MemberFactory = {
      name: (id) => `Room ${id}`,
      async open(s) {
        const o = await open(s);
        if (o.kind === 'timeline') opened.set(s.id, o.member as Recorded);
        return o;
      },
    };
    return { g: createGroupReceiver(d, specs, factory), opened };
  }

  it('moves every member with the group volume, keeping their balance', { timeout: 10_000 }, async () => {
    const { g, opened } = group([spec('a', 0.8), spec('b', 0.4)], async (s) => ({ kind: 'timeline', member: new Recorded(s.id) }));
    expect(g.status().volume.level).toBe(0.8);
    await g.load(req());
    expect(g.members().map((m) => m.state)).toEqual(['playing', 'playing']);
    await g.setVolume(0.4);
    expect(g.members().map((m) => m.volume)).toEqual([0.4, 0.2]);
    expect(opened.get('b')!.volume).toEqual([0.2, false]);
    await g.setVolume(1);
    expect(g.members().map((m) => m.volume)).toEqual([1, 0.5]);
    await g.setMemberVolume('b', 0.9, true);
    expect(opened.get('b')!.volume).toEqual([0.9, true]);
    await g.setMuted(true);
    expect(opened.get('a')!.volume).toEqual([1, true]);
    await g.stop();
    expect(g.members().map((m) => m.state)).toEqual(['idle', 'idle']);
    await g.close();
  });

  it('plays on when a member cannot open or is lost; gone only when every member is', { timeout: 10_000 }, async () => {
    const { g, opened } = group([spec('a'), spec('b'), spec('c')], async (s) => {
      if (s.id === 'c') throw new Error('Room c is offline');
      return { kind: 'timeline', member: new Recorded(s.id) };
    });
    const gone: string[] = [];
    g.on('gone', (why) => gone.push(why));
    await g.load(req());
    expect(g.members().map((m) => [m.state, m.error])).toEqual([['playing', undefined], ['playing', undefined], ['gone', 'Room c is offline']]);
    opened.get('a')!.emit('error', new Error('no timing request for 10 s'));
    expect(g.members()[0]!.state).toBe('gone');
    expect(g.members()[0]!.error).toMatch(/went away: no timing request/);
    expect(gone).toEqual([]);
    opened.get('b')!.emit('error', new Error('connection closed'));
    expect(gone).toHaveLength(1);
    expect(g.status().idleReason).toBe('gone');
    // Its stream is over: a member back now waits for the next load.
    g.memberOnline('a');
    expect(g.members()[0]!.state).toBe('gone');
    await g.close();
  });

  it('mirrors loads to a follower; one that refused the item is failed with the reason (not playing), skipped until the next item, which it is given again', { timeout: 10_000 }, async () => {
    const calls: string[] = [];
    let refusals = 1;
    const follower = new EventEmitter() as unknown as Receiver;
    Object.assign(follower, {
      id: 'chromecast:1',
      load: async () => {
        calls.push('load');
        if (refusals-- > 0) throw new Error('Chromecast refused');
      },
      pause: async () => void calls.push('pause'),
      play: async () => void calls.push('play'),
      stop: async () => void calls.push('stop'),
      setVolume: async () => undefined,
      setMuted: async () => undefined,
      close: async () => void calls.push('close'),
    });
    const { g } = group([spec('a'), spec('cast')], async (s) => (s.id === 'cast' ? { kind: 'follower', receiver: follower } : { kind: 'timeline', member: new Recorded(s.id) }));
    const states = () => g.members().map((m) => [m.id, m.state, m.synced, m.error]);
    await g.load(req());
    await vi.waitFor(() => expect(states()).toEqual([['a', 'playing', true, undefined], ['cast', 'failed', false, 'Chromecast refused']]));
    await g.pause();
    await g.play();
    expect(calls).toEqual(['load']);
    expect(g.status().state).not.toBe('idle');
    await g.load(req());
    await vi.waitFor(() => expect(states()).toEqual([['a', 'playing', true, undefined], ['cast', 'playing', false, undefined]]));
    await g.pause();
    expect(calls).toEqual(['load', 'load', 'pause']);
    await g.stop();
    expect(g.members().map((m) => m.state)).toEqual(['idle', 'idle']);
    await g.close();
    expect(calls.at(-1)).toBe('close');
  });

  it('tries a gone member again on its own while the group plays', { timeout: 10_000 }, async () => {
    let tries = 0;
    const { g, opened } = group([spec('a'), spec('b')], async (s) => {
      if (s.id === 'b' && ++tries === 1) throw new Error('Room b is offline');
      return { kind: 'timeline', member: new Recorded(s.id) };
    });
    // Timed from when it was marked gone (during the load, which a loaded machine makes slow).
    let goneAt: number | undefined;
    const back = new Promise<number>((resolve) =>
      g.onMembers((m) => {
        if (m[1]!.state === 'gone') goneAt ??= performance.now();
        else if (m[1]!.state === 'playing' && goneAt !== undefined) resolve(performance.now());
      }),
    );
    await g.load(req());
    // After the first back-off (a timer: late under load, never early), and on that first retry.
    expect((await back) - goneAt!).toBeGreaterThanOrEqual(REJOIN_FIRST_MS - 50);
    expect(tries).toBe(2);
    // Lost, and seen again by discovery: it rejoins at once.
    opened.get('b')!.emit('error', new Error('connection closed'));
    expect(g.members()[1]!.state).toBe('gone');
    g.memberOnline('b');
    expect(g.members()[1]!.state).toBe('joining');
    expect(tries).toBe(3);
    await g.close();
  });

  it('refuses a member twice and removing one that is not there', async () => {
    const { g } = group([spec('a')], async (s) => ({ kind: 'timeline', member: new Recorded(s.id) }));
    await expect(g.addMember(spec('a'))).rejects.toThrow('Room a is already in Downstairs');
    await expect(g.removeMember('zz')).rejects.toThrow('zz is not a member of Downstairs');
  });
});
