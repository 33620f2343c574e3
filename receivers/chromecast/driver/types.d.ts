// The part of castv2-client 1.2 (untyped CommonJS) the driver uses: PlatformSender (`Client`) and
// the castv2 socket it wraps (`.client`: TLS, framing, protobuf). Its request helpers are left
// alone (no timeouts, replies matched only by requestId; docs/protocols.md §1, §6).
declare module 'castv2-client' {
  import type { EventEmitter } from 'node:events';
  import type { TLSSocket } from 'node:tls';

  namespace castv2client {
    /** castv2's Client: emits every frame as 'message', 'error' on socket errors, 'close' once. */
    interface CastV2Client extends EventEmitter {
      socket: TLSSocket | null;
      /** TLS with rejectUnauthorized: false; the callback runs on the secure connect. */
      connect(options: { host: string; port: number }, callback?: () => void): void;
      /** Throws when the socket is not (or no longer) connected. */
      send(sourceId: string, destinationId: string, namespace: string, data: string | Buffer): void;
      /** Destroys the socket; throws when there is none. */
      close(): void;
      on(event: 'message', listener: (sourceId: string, destinationId: string, namespace: string, data: string | Buffer) => void): this;
      on(event: 'error', listener: (err: Error) => void): this;
      on(event: 'close' | 'connect', listener: () => void): this;
    }
    interface PlatformSender extends EventEmitter {
      client: CastV2Client;
    }
  }
  const castv2client: { Client: new () => castv2client.PlatformSender };
  export = castv2client;
}
