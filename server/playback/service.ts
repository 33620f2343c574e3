// All playback sessions, one per receiver, created on first use. Everything that changes a
// session is announced as one `session` event with the whole snapshot: the API pushes those.
import { EventEmitter } from 'node:events';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import { moveSession } from './move.js';
import { PlaybackError, Session, type SessionDeps, type SessionSnapshot } from './session.js';

export interface PlaybackDeps extends Omit<SessionDeps, 'descriptor'> {
  /** By id or by name. */
  findReceiver(idOrName: string): ReceiverDescriptor | undefined;
}

export class PlaybackService extends EventEmitter<{ session: [SessionSnapshot] }> {
  private sessions = new Map<string, Session>();

  constructor(private deps: PlaybackDeps) {
    super();
    // Sessions saved before a restart are back, idle, with their queues.
    for (const id of deps.store?.receiverIds() ?? []) this.create(id);
  }

  private create(id: string): Session {
    const s = new Session(id, { ...this.deps, descriptor: () => this.deps.findReceiver(id) });
    s.on('changed', (snap) => this.emit('session', snap));
    this.sessions.set(id, s);
    return s;
  }

  /** The session of a receiver (by id or name); throws a PlaybackError naming what is wrong. */
  session(receiver: string): Session {
    const d = this.deps.findReceiver(receiver);
    if (!d) throw new PlaybackError(`unknown receiver "${receiver}"`);
    return this.sessions.get(d.id) ?? this.create(d.id);
  }

  /** Discovery lost a receiver: its session ends with the reason (if it has one). */
  receiverOffline(id: string, reason: string): void {
    this.sessions.get(id)?.lost(reason);
  }

  /** "Move to…": what plays on `from` goes on on `to` (ids or names), and `from` stops. */
  move(from: string, to: string): Promise<SessionSnapshot> {
    return moveSession(this.session(from), this.session(to), this.deps.log);
  }

  /** A receiver gone for good (a deleted group): its session stops and is forgotten. */
  async forget(id: string): Promise<void> {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    await s?.close(true);
    this.deps.store?.forget?.(id);
  }

  snapshots(): SessionSnapshot[] {
    return [...this.sessions.values()].map((s) => s.snapshot());
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
  }
}
