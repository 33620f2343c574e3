// Groups over the socket API, as the remote makes them: for tests that play to a group.
import type { Socket } from 'socket.io-client';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { Ack } from '../../server/api/messages.js';

/** One command and its acknowledgement (success or the server's error). */
export function command<T = unknown>(socket: Socket, event: string, args: unknown, timeoutMs = 30_000): Promise<Ack<T>> {
  return new Promise((resolve) => socket.timeout(timeoutMs).emit(event, args, (err: Error | null, ack: Ack<T>) => resolve(err ? { ok: false, error: `no answer to ${event}: ${err.message}` } : ack)));
}

/** Makes a group of these receivers (ids or names); throws with the server's words when refused. */
export async function makeGroup(socket: Socket, name: string, members: string[]): Promise<ReceiverDescriptor> {
  const ack = await command<ReceiverDescriptor>(socket, 'group:create', { name, members });
  if (!ack.ok) throw new Error(`group:create ${name}: ${ack.error}`);
  return ack.data;
}
