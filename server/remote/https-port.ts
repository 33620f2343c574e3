// Remote access's own port: TLS, and behind it the very same HTTP server (routes, Socket.IO, the
// browser player's WebSocket): each decrypted connection is handed to the HTTP server as if it had
// arrived there, so every check the main port makes applies here too. A client speaking plain
// HTTP to this port fails the TLS handshake and is disconnected: nothing is served unencrypted.
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { Logger } from '../util/log.js';

export interface HttpsPort {
  port: number;
  close(): void;
}

export async function listenHttps(http: HttpServer, o: { host: string; port: number; cert: string; key: string; log: Logger }): Promise<HttpsPort> {
  const tls = createServer({ cert: o.cert, key: o.key, ALPNProtocols: ['http/1.1'], minVersion: 'TLSv1.2' }, (socket: TLSSocket) => {
    http.emit('connection', socket);
  });
  tls.on('tlsClientError', (err, socket) => {
    o.log.debug('remote access: TLS handshake failed', { peer: socket.remoteAddress ?? '', reason: err.message });
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    tls.once('error', reject);
    tls.listen(o.port, o.host, () => {
      tls.off('error', reject);
      resolve();
    });
  });
  const sockets = new Set<TLSSocket>();
  tls.on('secureConnection', (s: TLSSocket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return {
    port: (tls.address() as AddressInfo).port,
    close() {
      tls.close();
      for (const s of sockets) s.destroy();
    },
  };
}
