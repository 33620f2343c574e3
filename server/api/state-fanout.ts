// Live state to every remote, serialized once per change per distinct payload, never per socket.
// Remotes are grouped by what they may see (role, library limit, a guest's receivers): each group
// is a Socket.IO room; a change's payload is built once per group and the groups given the same
// payload object are sent it in one emit (Socket.IO encodes an emit once, and engine.io frames it
// once for every WebSocket: socket.io/dist/in-memory-adapter.js broadcast(), wsPreEncodedFrame).
// A remote that does not read delays nobody: a write to its socket only queues in its buffer.
import type { Server, Socket } from 'socket.io';
import type { Session } from '../auth/types.js';
import { socketSession } from '../auth/socket.js';

/** What a remote may see; remotes with equal views get the same state. */
export interface View {
  role: Session['user']['role'];
  /** Libraries it sees (sorted); null: all. */
  libraries: string[] | null;
  /** A guest's receivers (sorted); null: not limited. */
  receivers: string[] | null;
}

export function viewOf(s: Session): View {
  const { role, libraries, receivers } = s.user;
  return { role, libraries: libraries ? [...libraries].sort() : null, receivers: role === 'guest' ? [...receivers].sort() : null };
}

const roomOf = (key: string) => `view:${key}`;

export class StateFanOut {
  /** Connected views: key → the view and how many remotes hold it. */
  private views = new Map<string, { view: View; remotes: number }>();

  constructor(private io: Server) {}

  /** A remote joined: it gets its view's pushes until it leaves. */
  add(socket: Socket): void {
    const view = viewOf(socketSession(socket));
    const key = JSON.stringify(view);
    const held = this.views.get(key) ?? { view, remotes: 0 };
    held.remotes++;
    this.views.set(key, held);
    void socket.join(roomOf(key));
    socket.once('disconnect', () => {
      if (--held.remotes === 0) this.views.delete(key);
    });
  }

  /**
   * Sends `event` to every remote: `build` runs once per connected view (undefined: that view gets
   * nothing); views given the same object share one emit, so one serialization.
   */
  publish(event: string, build: (view: View) => unknown): void {
    const rooms = new Map<unknown, string[]>();
    for (const [key, { view }] of this.views) {
      const payload = build(view);
      if (payload === undefined) continue;
      const list = rooms.get(payload) ?? [];
      list.push(roomOf(key));
      rooms.set(payload, list);
    }
    for (const [payload, list] of rooms) this.io.to(list).emit(event, payload);
  }

  /** The same payload for every remote: one emit. */
  publishAll(event: string, payload: unknown): void {
    this.publish(event, () => payload);
  }
}
