// The group service's wiring to a playing group (a recording stand-in of receivers/group/types.ts
// GroupReceiver: only the calls the service makes are checked here; the real group receiver plays
// to real speakers in test/integration/receivers/group and test/integration/playback): the live receiver gets the stored members, every member change while
// it plays, and discovery's comebacks; it is let go when its session closes it; deleting a group
// stops what it plays. The database is the real SQLite schema (in memory), the registry the real one.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GroupMemberSpec, GroupMemberState, GroupReceiver, MemberFactory } from '../../../receivers/group/types.js';
import type { Capabilities, LoadRequest, ReceiverDescriptor, ReceiverStatus } from '../../../receivers/types.js';
import { openDb } from '../../../server/db/connection.js';
import { sqliteSessionStore } from '../../../server/db/session-store.js';
import { ReceiverRegistry } from '../../../server/discovery/registry.js';
import { GroupService } from '../../../server/groups/service.js';
import { sqliteGroupStore } from '../../../server/groups/store.js';
import { PlaybackService } from '../../../server/playback/service.js';
import { createLogger } from '../../../server/util/log.js';

type Call = [string, ...unknown[]];

class RecordingGroup extends EventEmitter implements GroupReceiver {
  readonly capabilities: Capabilities = { seek: true, volume: true, pause: true, subtitles: false };
  calls: Call[] = [];
  private memberListeners: ((m: GroupMemberState[]) => void)[] = [];
  private st: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  states: GroupMemberState[];
  constructor(readonly id: string, readonly specs: GroupMemberSpec[], readonly factory: MemberFactory) {
    super();
    this.states = specs.map((s) => ({ ...s, name: factory.name(s.id), state: 'idle', synced: true }));
  }
  members() { return this.states; }
  async addMember(spec: GroupMemberSpec) { this.calls.push(['add', spec]); }
  async removeMember(id: string) { this.calls.push(['remove', id]); }
  async setMemberVolume(id: string, level: number, muted?: boolean) { this.calls.push(['volume', id, level, muted]); }
  setMemberDelay(id: string, ms: number) { this.calls.push(['delay', id, ms]); }
  memberOnline(id: string) { this.calls.push(['online', id]); }
  onMembers(l: (m: GroupMemberState[]) => void) { this.memberListeners.push(l); }
  report(states: GroupMemberState[]) {
    this.states = states;
    for (const l of this.memberListeners) l(states);
  }
  async connect() {}
  async load(req: LoadRequest) {
    this.calls.push(['load', req.url]);
    this.st = { ...this.st, state: 'playing', rate: 1, at: Date.now() };
    this.emit('status', this.st);
  }
  async play() {}
  async pause() {}
  async seek() {}
  async stop() {
    this.calls.push(['stop']);
    this.st = { ...this.st, state: 'idle', rate: 0, idleReason: 'stopped' };
    this.emit('status', this.st);
  }
  async setVolume() {}
  async setMuted() {}
  status() { return this.st; }
  async close() { this.calls.push(['close']); }
}

const speaker = (name: string, port: number): ReceiverDescriptor => ({
  id: `airplay:manual:127.0.0.1:${port}`, kind: 'airplay', name, model: null, host: '127.0.0.1', port, type: 'speaker', online: true, lastSeen: 0, source: 'config',
});
const kitchen = speaker('Kitchen', 7001);
const living = speaker('Living Room', 7002);
const log = createLogger('error', () => undefined);

let registry: ReceiverRegistry;
let groups: GroupService;
let built: RecordingGroup[];
let db: ReturnType<typeof openDb>;

beforeEach(() => {
  db = openDb(':memory:');
  registry = new ReceiverRegistry();
  registry.seen(kitchen);
  registry.seen(living);
  built = [];
  groups = new GroupService({
    log, registry, store: sqliteGroupStore(db), syncs: () => true,
    connect: () => { throw new Error('no drivers in this test'); },
    createReceiver: (d, members, factory) => {
      const r = new RecordingGroup(d.id, members, factory);
      built.push(r);
      return r;
    },
  });
});

describe('a playing group', () => {
  it('is built with the stored members, and gets each change made while it plays', async () => {
    const g = groups.create('Downstairs', ['Kitchen']);
    await groups.setMember(g.id, 'Kitchen', { delayMs: 40 });
    const live = groups.receiver(registry.get(g.id)!) as RecordingGroup;
    expect(live.specs).toEqual([{ id: kitchen.id, delayMs: 40, volume: 1, muted: false }]);
    await groups.add('Downstairs', 'Living Room');
    await groups.setMember('Downstairs', 'Kitchen', { level: 0.3, muted: true });
    await groups.setMember('Downstairs', 'Kitchen', { delayMs: 120 });
    await groups.remove('Downstairs', 'Living Room');
    registry.markOffline(kitchen.id, 'gone');
    registry.markOnline(kitchen.id);
    expect(live.calls).toEqual([
      ['add', { id: living.id, delayMs: 0, volume: 1, muted: false }],
      ['volume', kitchen.id, 0.3, true],
      ['delay', kitchen.id, 120],
      ['remove', living.id],
      ['online', kitchen.id],
    ]);
  });

  it('shows the states the group reports to every remote (through the registry)', () => {
    const g = groups.create('Downstairs', ['Kitchen', 'Living Room']);
    const live = groups.receiver(registry.get(g.id)!) as RecordingGroup;
    const pushed: ReceiverDescriptor[] = [];
    registry.on('changed', (d) => d.id === g.id && pushed.push(d));
    live.report(live.states.map((m) => ({ ...m, state: m.id === kitchen.id ? 'playing' : 'gone', synced: m.id === kitchen.id })));
    expect(pushed.at(-1)?.group?.map((m) => [m.name, m.state, m.synced])).toEqual([['Kitchen', 'playing', true], ['Living Room', 'gone', false]]);
  });

  it('keeps the levels a group volume change gave its members (they are back after a restart)', () => {
    const g = groups.create('Downstairs', ['Kitchen', 'Living Room']);
    const live = groups.receiver(registry.get(g.id)!) as RecordingGroup;
    live.report(live.states.map((m) => ({ ...m, volume: m.id === kitchen.id ? 0.5 : 0.25, muted: m.id !== kitchen.id })));
    const again = new GroupService({ log, registry: new ReceiverRegistry(), store: sqliteGroupStore(db), syncs: () => true, connect: () => { throw new Error('no drivers'); } });
    expect(again.list()[0]?.group?.map((m) => [m.volume, m.muted])).toEqual([[0.5, false], [0.25, true]]);
  });

  it('is let go once its session closes it: later changes are only stored', async () => {
    const g = groups.create('Downstairs', ['Kitchen']);
    const live = groups.receiver(registry.get(g.id)!) as RecordingGroup;
    await live.close();
    await groups.setMember('Downstairs', 'Kitchen', { level: 0.5 });
    expect(live.calls).toEqual([['close']]);
    expect(registry.get(g.id)?.group?.[0]).toMatchObject({ volume: 0.5, state: 'idle' });
  });

  it('opens members through the factory: offline ones refused by name', async () => {
    const g = groups.create('Downstairs', ['Kitchen']);
    const live = groups.receiver(registry.get(g.id)!) as RecordingGroup;
    registry.markOffline(kitchen.id, 'gone');
    expect(live.factory.name(kitchen.id)).toBe('Kitchen');
    await expect(live.factory.open(live.specs[0]!, {} as never)).rejects.toThrow('Kitchen is offline');
    expect(registry.get(g.id)).toMatchObject({ online: false, group: [expect.objectContaining({ state: 'idle' })] });
  });

  it('stops playing and is forgotten with its session when deleted', async () => {
    const g = groups.create('Downstairs', ['Kitchen']);
    const item = { id: 1, kind: 'audio' as const, title: 'One', duration: 10, mime: 'audio/flac', artHash: null, media: null, hdr: null, subtitles: [] };
    const store = sqliteSessionStore(db);
    const deps: ConstructorParameters<typeof PlaybackService>[0] = {
      log, store,
      findReceiver: (x) => registry.find(x),
      connect: (d) => groups.receiver(d),
      profile: (d) => groups.profile(d, () => ({ name: 'speaker', audioOnly: true, containers: ['flac'], videoCodecs: [], audioCodecs: [{ codec: 'flac' }], subtitleFormats: [], imageFormats: [] })),
      item: (id) => (id === 1 ? item : undefined),
      loadRequest: async () => ({ url: 'http://127.0.0.1:9/one', contentType: 'audio/flac', metadata: { title: 'One', kind: 'audio' }, duration: 10, startAt: 0, live: false }),
    };
    const playback = new PlaybackService(deps);
    await playback.session('Downstairs').play([1]);
    await playback.session('Downstairs').stop();
    await playback.session('Downstairs').resume();
    await playback.close(); // saves it, as a server stopping does
    const again = new PlaybackService(deps);
    expect(again.snapshots().map((s) => s.receiverId)).toEqual([g.id]);
    await again.session(g.id).resume();
    const live = built.at(-1)!;
    await again.forget(groups.idOf('Downstairs'));
    groups.delete(g.id);
    expect(live.calls.slice(-2)).toEqual([['stop'], ['close']]);
    expect(again.snapshots()).toEqual([]);
    expect(store.receiverIds()).toEqual([]);
    expect(registry.get(g.id)).toBeUndefined();
  });
});
