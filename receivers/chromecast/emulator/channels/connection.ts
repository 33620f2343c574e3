// tp.connection: CONNECT / CLOSE open and close virtual connections. When an app stops, the
// device tells each sender connected to it with a CLOSE from the app's transportId.
import type { ChannelContext } from '../context.js';
import { NS } from '../context.js';
import type { Incoming } from '../server.js';

export function handleConnection(msg: Incoming, ctx: ChannelContext): void {
  const type = msg.data?.type;
  if (type === 'CONNECT') ctx.connections.connect(msg.peer, msg.sourceId, msg.destinationId);
  else if (type === 'CLOSE') ctx.connections.close(msg.peer, msg.sourceId, msg.destinationId);
}

export function closeSendersOf(transportId: string, ctx: ChannelContext): void {
  for (const { peer, senderId } of ctx.connections.sendersOf(transportId)) {
    peer.send(transportId, senderId, NS.connection, { type: 'CLOSE' });
    ctx.connections.close(peer, senderId, transportId);
  }
}
