// The one connection to the server: socket.io over a WebSocket. Commands are acknowledged with
// { ok, data } or { ok: false, error }; `command` turns that into a value or a thrown Error
// (which carries the server's `code` when a receiver wants a password).
import { io, type Socket } from 'socket.io-client';
import type { Ack, CommandArgs, CommandName, PasswordRefusal } from '../../../server/api/messages.js';
import type { CommandResult } from './types.js';

export class CommandError extends Error {
  constructor(message: string, readonly refusal?: PasswordRefusal) {
    super(message);
  }
}

export class Remote {
  readonly socket: Socket;

  constructor(url?: string) {
    const opts = { transports: ['websocket'], reconnectionDelayMax: 3000 };
    this.socket = url ? io(url, opts) : io(opts);
  }

  /** Sends a command; resolves with its data, rejects with the server's words. */
  command<C extends CommandName>(name: C, args: CommandArgs<C>, timeoutMs = 20_000): Promise<CommandResult<C>> {
    return new Promise((resolve, reject) => {
      if (!this.socket.connected) return reject(new CommandError('not connected to the server'));
      this.socket.timeout(timeoutMs).emit(name, args, (err: Error | null, ack: Ack<CommandResult<C>>) => {
        if (err) reject(new CommandError(`${name}: no answer from the server`));
        else if (ack.ok) resolve(ack.data);
        else reject(new CommandError(ack.error, ack.code === 'needs-password' && ack.receiver ? { code: ack.code, receiver: ack.receiver, wrong: ack.wrong === true } : undefined));
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
