// The remote's picture of the server: receivers, one session per receiver, library counts, and
// which receiver this remote controls. Filled by the pushed events (`snapshot` replaces all,
// then `receiver`, `session`, `library` replace one part each); never by command answers, since
// pushes arrive in the server's order on one socket and already carry every change.
import type { LibraryStats, Receiver, SessionSnapshot, Snapshot } from './types.js';

export interface RemoteState {
  connected: boolean;
  /** Sorted by name. */
  receivers: Receiver[];
  sessions: Readonly<Record<string, SessionSnapshot>>;
  library: LibraryStats;
  /** Chosen by the user; may name a receiver not (yet) known. */
  chosen: string | null;
  /** Bumped when the server says playlists changed: views showing them read them again. */
  playlists: number;
}

export type Pushed =
  | { event: 'snapshot'; payload: Snapshot }
  | { event: 'receiver'; payload: Receiver }
  /** A receiver gone for good (a deleted group). */
  | { event: 'receiver:removed'; payload: { id: string } }
  | { event: 'session'; payload: SessionSnapshot }
  | { event: 'library'; payload: Partial<LibraryStats> }
  | { event: 'playlists'; payload: { id: number } };

export const initialState = (chosen: string | null = null): RemoteState => ({
  connected: false,
  receivers: [],
  sessions: {},
  library: { scanning: false, progress: null },
  chosen,
  playlists: 0,
});

const byName = (a: Receiver, b: Receiver) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** Pure: the state after one pushed event. */
export function reduce(s: RemoteState, p: Pushed): RemoteState {
  switch (p.event) {
    case 'snapshot':
      return {
        ...s,
        receivers: [...p.payload.receivers].sort(byName),
        sessions: Object.fromEntries(p.payload.sessions.map((x) => [x.receiverId, x])),
        library: { ...p.payload.library },
      };
    case 'receiver':
      return { ...s, receivers: [...s.receivers.filter((r) => r.id !== p.payload.id), p.payload].sort(byName) };
    case 'receiver:removed': {
      const { [p.payload.id]: _gone, ...sessions } = s.sessions;
      return { ...s, receivers: s.receivers.filter((r) => r.id !== p.payload.id), sessions };
    }
    case 'session':
      return { ...s, sessions: { ...s.sessions, [p.payload.receiverId]: p.payload } };
    case 'library':
      // Progress pushes carry only { scanning, progress }; the end of a scan carries the counts too.
      return { ...s, library: { ...s.library, ...p.payload } };
    case 'playlists':
      return { ...s, playlists: s.playlists + 1 };
  }
}

/**
 * The receiver this remote controls: the one its user chose (kept even while offline), found by id
 * or name. Null when none was chosen or the chosen one is not known (yet): never another receiver
 * picked for the user, since what other remotes play or pause must not move this one.
 */
export function currentReceiver(s: RemoteState): Receiver | null {
  return s.receivers.find((r) => r.id === s.chosen || r.name === s.chosen) ?? null;
}

type Listener = (s: RemoteState) => void;

export class Store {
  private s: RemoteState;
  private listeners = new Set<Listener>();

  constructor(initial: RemoteState = initialState()) {
    this.s = initial;
  }

  get state(): RemoteState {
    return this.s;
  }

  apply(p: Pushed): void {
    this.set(reduce(this.s, p));
  }

  setConnected(connected: boolean): void {
    if (connected !== this.s.connected) this.set({ ...this.s, connected });
  }

  choose(receiverId: string | null): void {
    this.set({ ...this.s, chosen: receiverId });
  }

  /** Calls `fn` now and after every change; returns the unsubscribe. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    fn(this.s);
    return () => this.listeners.delete(fn);
  }

  private set(next: RemoteState): void {
    this.s = next;
    for (const fn of this.listeners) fn(next);
  }
}

/** Minimal view of a socket.io client socket, so the wiring is testable without one. */
export interface PushSource {
  on(event: string, listener: (...args: never[]) => void): unknown;
  readonly connected: boolean;
}

export function connectStore(store: Store, socket: PushSource): void {
  socket.on('connect', () => store.setConnected(true));
  socket.on('disconnect', () => store.setConnected(false));
  socket.on('snapshot', (payload: Snapshot) => store.apply({ event: 'snapshot', payload }));
  socket.on('receiver', (payload: Receiver) => store.apply({ event: 'receiver', payload }));
  socket.on('receiver:removed', (payload: { id: string }) => store.apply({ event: 'receiver:removed', payload }));
  socket.on('session', (payload: SessionSnapshot) => store.apply({ event: 'session', payload }));
  socket.on('library', (payload: Partial<LibraryStats>) => store.apply({ event: 'library', payload }));
  socket.on('playlists', (payload: { id: number }) => store.apply({ event: 'playlists', payload }));
  store.setConnected(socket.connected);
}
