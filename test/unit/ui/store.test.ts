import { describe, expect, it } from 'vitest';
import { connectStore, currentReceiver, initialState, reduce, Store } from '../../../ui/src/data/store.js';
import type { Receiver, SessionSnapshot, Snapshot } from '../../../ui/src/data/types.js';

const tv: Receiver = { id: 'cast-tv', kind: 'chromecast', name: 'Living Room TV', model: 'Chromecast', type: 'tv', online: true };
const speaker: Receiver = { id: 'cast-sp', kind: 'chromecast', name: 'Den', model: 'Google Home', type: 'speaker', online: true };

function session(over: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    receiverId: tv.id, state: 'playing', position: 10, at: 1_000_000, rate: 1, duration: 200,
    volume: { level: 0.5, muted: false }, index: 0, queue: [], repeat: 'off', shuffle: false,
    item: { id: 1, title: 'One', kind: 'audio', artHash: null, artUrl: null }, decision: { kind: 'direct', reasons: [] }, ...over,
  };
}

const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  receivers: [tv, speaker], sessions: [session()], library: { tracks: 3, albums: 1, scanning: false, progress: null }, ...over,
});

describe('store', () => {
  it('a snapshot replaces everything; receivers sorted by name', () => {
    let s = reduce(initialState(), { event: 'session', payload: session({ receiverId: 'old' }) });
    s = reduce(s, { event: 'snapshot', payload: snapshot() });
    expect(s.receivers.map((r) => r.name)).toEqual(['Den', 'Living Room TV']);
    expect(Object.keys(s.sessions)).toEqual([tv.id]);
    expect(s.library.tracks).toBe(3);
  });

  it('a receiver event replaces that receiver only', () => {
    let s = reduce(initialState(), { event: 'snapshot', payload: snapshot() });
    s = reduce(s, { event: 'receiver', payload: { ...speaker, online: false } });
    expect(s.receivers).toHaveLength(2);
    expect(s.receivers.find((r) => r.id === speaker.id)?.online).toBe(false);
    s = reduce(s, { event: 'receiver', payload: { ...speaker, id: 'new', name: 'Attic' } });
    expect(s.receivers.map((r) => r.name)).toEqual(['Attic', 'Den', 'Living Room TV']);
  });

  it('a removed receiver (a deleted group) leaves the list with its session', () => {
    const group: Receiver = { id: 'group:ab12', kind: 'group', name: 'Downstairs', model: null, type: 'group', online: true, members: [tv.id, speaker.id] };
    let s = reduce(initialState(), { event: 'snapshot', payload: snapshot({ receivers: [tv, speaker, group], sessions: [session(), session({ receiverId: group.id })] }) });
    s = reduce(s, { event: 'receiver:removed', payload: { id: group.id } });
    expect(s.receivers.map((r) => r.id)).toEqual([speaker.id, tv.id]);
    expect(Object.keys(s.sessions)).toEqual([tv.id]);
  });

  it('two session updates in a row: the last one wins, other sessions untouched', () => {
    let s = reduce(initialState(), { event: 'snapshot', payload: snapshot({ sessions: [session(), session({ receiverId: speaker.id, state: 'paused' })] }) });
    s = reduce(s, { event: 'session', payload: session({ state: 'paused', position: 12, at: 1_002_000, rate: 0 }) });
    s = reduce(s, { event: 'session', payload: session({ state: 'playing', position: 12, at: 1_003_000, rate: 1, volume: { level: 0.3, muted: false } }) });
    expect(s.sessions[tv.id]).toMatchObject({ state: 'playing', position: 12, at: 1_003_000, volume: { level: 0.3 } });
    expect(s.sessions[speaker.id]?.state).toBe('paused');
  });

  it('library progress pushes keep the counts; the end of a scan brings new ones', () => {
    let s = reduce(initialState(), { event: 'snapshot', payload: snapshot() });
    s = reduce(s, { event: 'library', payload: { scanning: true, progress: { library: 'Music', phase: 'probe', total: 10, done: 1 } } });
    expect(s.library).toMatchObject({ tracks: 3, scanning: true });
    s = reduce(s, { event: 'library', payload: { tracks: 5, scanning: false, progress: null } });
    expect(s.library).toMatchObject({ tracks: 5, albums: 1, scanning: false });
  });

  it('the controlled receiver is only the chosen one, even offline; never one picked for the user', () => {
    const base = reduce(initialState(), { event: 'snapshot', payload: snapshot({ sessions: [session({ receiverId: speaker.id })] }) });
    // Nothing chosen: not the playing one, not the first online one.
    expect(currentReceiver(base)).toBeNull();
    expect(currentReceiver({ ...base, sessions: {} })).toBeNull();
    expect(currentReceiver({ ...base, chosen: tv.id })?.id).toBe(tv.id);
    expect(currentReceiver({ ...base, chosen: 'Living Room TV' })?.id).toBe(tv.id);
    expect(currentReceiver({ ...base, chosen: tv.id, receivers: [speaker, { ...tv, online: false }] })).toMatchObject({ id: tv.id, online: false });
    // Chosen but not known (yet): none, until it appears.
    expect(currentReceiver({ ...base, chosen: 'gone' })).toBeNull();
    expect(currentReceiver(initialState())).toBeNull();
  });

  it('pushes about other receivers never change the chosen one', () => {
    let s = reduce(initialState(tv.id), { event: 'snapshot', payload: snapshot({ sessions: [session(), session({ receiverId: speaker.id })] }) });
    s = reduce(s, { event: 'session', payload: session({ receiverId: speaker.id, state: 'paused', rate: 0 }) });
    s = reduce(s, { event: 'session', payload: session({ receiverId: speaker.id, state: 'idle', idleReason: 'stopped', item: null }) });
    s = reduce(s, { event: 'receiver', payload: { ...speaker, online: false } });
    expect([s.chosen, currentReceiver(s)?.id]).toEqual([tv.id, tv.id]);
  });

  it('wired to a socket: applies pushes in order and tracks the connection', () => {
    const handlers = new Map<string, (...a: never[]) => void>();
    const fake = { connected: false, on: (e: string, f: (...a: never[]) => void) => handlers.set(e, f) };
    const store = new Store();
    const seen: string[] = [];
    store.subscribe((s) => seen.push(`${s.connected}:${s.sessions[tv.id]?.state ?? '-'}`));
    connectStore(store, fake);
    const emit = (e: string, p?: unknown) => (handlers.get(e) as (x: unknown) => void)(p);
    emit('connect');
    emit('snapshot', snapshot());
    emit('session', session({ state: 'paused', rate: 0 }));
    emit('disconnect');
    expect(seen).toEqual(['false:-', 'true:-', 'true:playing', 'true:paused', 'false:paused']);
  });
});
