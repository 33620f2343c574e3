// The TLS side of the emulator: accepts senders on the Cast port, splits frames into messages and
// sends JSON payloads back. One Peer per TLS socket; which sender ids talk through it is the
// business of VirtualConnections. A broken socket or frame closes that socket only.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { decodeMessage, encodeMessage, frame, FrameReader } from './wire.js';

export interface Peer {
  /** "ip:port" of the sender's socket. */
  readonly id: string;
  /** Sends a JSON payload; a no-op once the socket is gone. */
  send(sourceId: string, destinationId: string, namespace: string, payload: object): void;
  close(): void;
}

export interface Incoming {
  peer: Peer;
  sourceId: string;
  destinationId: string;
  namespace: string;
  /** The payload parsed as JSON; null for binary (deviceauth) or unparseable payloads. */
  data: Record<string, unknown> | null;
}

interface ServerEvents {
  message: [Incoming];
  disconnect: [Peer];
  /** Socket-level trouble worth a debug line; never fatal to the server. */
  warning: [string];
}

export interface TlsServerOptions {
  host: string;
  port: number;
  key: string;
  cert: string;
}

export class CastServer extends EventEmitter<ServerEvents> {
  private readonly sockets = new Set<tls.TLSSocket>();

  private constructor(private readonly tlsServer: tls.Server) {
    super();
  }

  /** Listens; rejects on EADDRINUSE and the like. */
  static async listen(opts: TlsServerOptions): Promise<CastServer> {
    const tlsServer = tls.createServer({ key: opts.key, cert: opts.cert });
    const server = new CastServer(tlsServer);
    tlsServer.on('secureConnection', (socket) => server.accept(socket));
    // A sender that aborts the handshake must not take the emulator down.
    tlsServer.on('tlsClientError', (err) => server.emit('warning', `TLS handshake failed: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      tlsServer.once('error', reject);
      tlsServer.listen(opts.port, opts.host, () => (tlsServer.off('error', reject), resolve()));
    });
    tlsServer.on('error', (err) => server.emit('warning', `server error: ${err.message}`));
    return server;
  }

  get port(): number {
    return (this.tlsServer.address() as AddressInfo).port;
  }

  private accept(socket: tls.TLSSocket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const reader = new FrameReader();
    // One message per write, the next once the last is handed to the socket, as a device's cast
    // transport writes (Chromium, components/media_router/common/providers/cast/channel/
    // cast_transport.cc: a write queue, OnWriteResult before the next message). Node would put
    // writes queued in one tick into one TLS record; a sender that reads exactly one message and
    // then select()s on the socket (pychromecast 9.4, socket_client.py run_once) never sees the
    // rest of that record until other bytes arrive: its answer comes a heartbeat late.
    const queue: Buffer[] = [];
    let writing = false;
    const writeNext = (err?: Error | null): void => {
      const next = err ? undefined : queue.shift();
      writing = next !== undefined && !socket.destroyed && socket.writable;
      if (writing) socket.write(next!, writeNext);
      else queue.length = 0; // done, or the socket is gone: what is left goes nowhere
    };
    const peer: Peer = {
      id: `${socket.remoteAddress}:${socket.remotePort}`,
      send: (sourceId, destinationId, namespace, payload) => {
        if (socket.destroyed || !socket.writable) return;
        queue.push(frame(encodeMessage({ protocolVersion: 0, sourceId, destinationId, namespace, payloadUtf8: JSON.stringify(payload) })));
        if (!writing) writeNext();
      },
      close: () => socket.destroy(),
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const payload of reader.push(chunk)) {
          const m = decodeMessage(payload);
          // A real device drops senders speaking another protocol version (castv2 Server does too).
          if (m.protocolVersion !== 0) throw new Error(`unsupported protocol version ${m.protocolVersion}`);
          let data: Record<string, unknown> | null = null;
          if (m.payloadUtf8 !== undefined) {
            try {
              const parsed: unknown = JSON.parse(m.payloadUtf8);
              if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
            } catch {
              /* left null: the channel answers INVALID_REQUEST or ignores it */
            }
          }
          this.emit('message', { peer, sourceId: m.sourceId, destinationId: m.destinationId, namespace: m.namespace, data });
        }
      } catch (err) {
        this.emit('warning', `closing ${peer.id}: ${(err as Error).message}`);
        socket.destroy();
      }
    });
    socket.on('error', (err) => this.emit('warning', `socket ${peer.id}: ${err.message}`));
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.emit('disconnect', peer);
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.tlsServer.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}
