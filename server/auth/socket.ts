// The Socket.IO edge of accounts: a connection needs a device token (the cookie a browser sends
// with the handshake, or `auth: { token }` from the CLI); its session rides on socket.data. When a
// device is revoked (or its user deleted) its open connections are told and closed at once; when its
// user's rights change they are closed without a word, and the remote connects again with the new.
import type { Server, Socket } from 'socket.io';
import { tokenFrom } from './http.js';
import type { AuthService } from './service.js';
import type { Session } from './types.js';

const room = (deviceId: number) => `device:${deviceId}`;

export function guardSockets(io: Server, auth: AuthService): void {
  io.use((socket, next) => {
    const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const session = auth.authenticate(typeof given === 'string' ? given : tokenFrom(socket.handshake.headers));
    if (!session) return next(new Error(auth.needsSetup() ? 'the server is not set up yet: open the setup link from its log' : 'sign in first'));
    socket.data.session = session;
    if (session.device) void socket.join(room(session.device.id));
    next();
  });
  auth.on('signed-out', (ids) => {
    for (const id of ids) {
      io.to(room(id)).emit('auth:signed-out', { reason: 'this device was signed out' });
      io.in(room(id)).disconnectSockets(true);
    }
  });
  auth.on('rights-changed', (ids) => {
    for (const id of ids) io.in(room(id)).disconnectSockets(true);
  });
}

export const socketSession = (socket: Socket): Session => socket.data.session as Session;
