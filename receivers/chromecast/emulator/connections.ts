// Virtual connections: CASTV2 multiplexes many (sender id → destination id) channels over one TLS
// socket, opened with CONNECT and closed with CLOSE on the tp.connection namespace. A real device
// answers only on channels that were opened, and broadcasts (`*`) go to every socket that has a
// channel to the broadcasting endpoint (receiver-0 or an app's transportId).
import type { Peer } from './server.js';

export interface Endpoint {
  peer: Peer;
  senderId: string;
}

export class VirtualConnections {
  /** peer → "senderId\0destinationId" */
  private readonly open = new Map<Peer, Set<string>>();

  connect(peer: Peer, senderId: string, destinationId: string): void {
    let set = this.open.get(peer);
    if (!set) this.open.set(peer, (set = new Set()));
    set.add(`${senderId}\0${destinationId}`);
  }

  close(peer: Peer, senderId: string, destinationId: string): void {
    this.open.get(peer)?.delete(`${senderId}\0${destinationId}`);
  }

  dropPeer(peer: Peer): void {
    this.open.delete(peer);
  }

  /** The channels open on `peer`'s socket, for messages. */
  describe(peer: Peer): string {
    const set = this.open.get(peer);
    return set?.size ? [...set].map((k) => k.replace('\0', '→')).join(', ') : 'none';
  }

  has(peer: Peer, senderId: string, destinationId: string): boolean {
    return this.open.get(peer)?.has(`${senderId}\0${destinationId}`) ?? false;
  }

  /** Every (socket, sender) with a channel to `destinationId`. */
  sendersOf(destinationId: string): Endpoint[] {
    const out: Endpoint[] = [];
    for (const [peer, set] of this.open) {
      for (const key of set) {
        const [senderId, dest] = key.split('\0') as [string, string];
        if (dest === destinationId) out.push({ peer, senderId });
      }
    }
    return out;
  }

  /** Sockets with at least one channel to `destinationId` (a broadcast goes once per socket). */
  peersOf(destinationId: string): Peer[] {
    return [...new Set(this.sendersOf(destinationId).map((e) => e.peer))];
  }
}
