// The Sendspin server role (github Sendspin/spec): WebSocket endpoint on its own port (8927,
// `/sendspin`) and on the main HTTP server's `/sendspin` for the browser player (same origin
// only), and outgoing connections to players that advertise `_sendspin._tcp`. Players become
// receiver descriptors (`sendspin:<client_id>`); controller commands are emitted for the session
// to act on; a player joins a synced stream through member() (member.ts).
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { MemberOptions, TimelineContext, TimelineMember } from '../shared/timeline-member.js';
import type { ReceiverDescriptor } from '../types.js';
import { CLOSE, DEFAULT_LIMITS, SendspinConnection, type ConnectionLimits } from './connection.js';
import { SendspinMember } from './member.js';
import { CONTROLLER_COMMANDS, serverState, type ControllerCommand } from './protocol.js';

export const DEFAULT_PORT = 8927;
export const DEFAULT_PATH = '/sendspin';
/** Largest text message a client may send: a hello with every role is well under 16 KiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface SendspinServerOptions {
  /** server_id in server/hello: stable across restarts. */
  id: string;
  name: string;
  limits?: Partial<ConnectionLimits>;
  maxMessageBytes?: number;
  /** Controller commands the session acts on (server/state controller.supported_commands). */
  controllerCommands?: ControllerCommand[];
  /** JSON log lines (refused clients, sockets that failed). */
  log?: (line: Record<string, unknown>) => void;
}

export interface SendspinCommand {
  /** `sendspin:<client_id>` of the client that sent it. */
  playerId: string;
  command: ControllerCommand;
  params: { volume?: number; mute?: boolean };
}

export interface SendspinServerEvents {
  /** A player connected (or said hello again after reconnecting). */
  player: [ReceiverDescriptor];
  playerGone: [id: string, reason: string];
  command: [SendspinCommand];
  /** A player changed its own volume or mute (0..100). */
  playerVolume: [id: string, volume: number, muted: boolean];
}

export const playerIdOf = (clientId: string): string => `sendspin:${clientId}`;

export class SendspinServer extends EventEmitter<SendspinServerEvents> {
  private readonly wss: WebSocketServer;
  private readonly limits: ConnectionLimits;
  private readonly conns = new Set<SendspinConnection>();
  private readonly byClient = new Map<string, SendspinConnection>();
  private readonly descriptors = new Map<string, ReceiverDescriptor>();
  private readonly httpServers: Server[] = [];
  private readonly detachers: (() => void)[] = [];
  private readonly log: (line: Record<string, unknown>) => void;
  private readonly commands: ControllerCommand[];

  constructor(private readonly opts: SendspinServerOptions) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.log = opts.log ?? (() => {});
    this.commands = opts.controllerCommands ?? CONTROLLER_COMMANDS.filter((c) => c !== 'switch');
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? MAX_MESSAGE_BYTES });
  }

  /** Listens on its own port (the spec's 8927); resolves with the port bound. */
  async listen(o: { host?: string; port?: number; path?: string } = {}): Promise<{ port: number }> {
    const path = o.path ?? DEFAULT_PATH;
    const http = createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end(`Sendspin: connect with a WebSocket to ${path}\n`));
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (!this.pathMatches(req, path)) return refuse(socket, 404, 'Not Found');
      this.upgrade(req, socket, head);
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(o.port ?? DEFAULT_PORT, o.host, () => resolve());
    });
    this.httpServers.push(http);
    return { port: (http.address() as AddressInfo).port };
  }

  /**
   * Takes WebSocket upgrades on `path` of another HTTP server (the main one, for the browser
   * player); other paths are left to that server's other upgrade handlers. An Origin that
   * `allowOrigin` refuses gets 403.
   */
  attach(http: Server, o: { allowOrigin: (origin: string | undefined) => boolean; path?: string }): void {
    const path = o.path ?? DEFAULT_PATH;
    const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (!this.pathMatches(req, path)) return;
      if (!o.allowOrigin(req.headers.origin)) {
        this.log({ event: 'origin-refused', origin: req.headers.origin ?? null });
        return refuse(socket, 403, 'Forbidden');
      }
      this.upgrade(req, socket, head);
    };
    http.on('upgrade', onUpgrade);
    this.detachers.push(() => http.off('upgrade', onUpgrade));
  }

  /**
   * Server-initiated connection to a player that advertises `_sendspin._tcp` (spec "Server
   * Initiated Connections"). Resolves with its player id once it said hello.
   */
  connectTo(url: string, reason: 'discovery' | 'playback' = 'discovery'): Promise<string> {
    const u = new URL(url);
    const ws = new WebSocket(url, { maxPayload: this.opts.maxMessageBytes ?? MAX_MESSAGE_BYTES, handshakeTimeout: 5000 });
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        const conn = this.adopt(ws, { host: u.hostname, port: Number(u.port) || 80 }, reason);
        conn.once('hello', (h) => resolve(playerIdOf(h.client_id)));
        conn.once('gone', (why) => reject(new Error(`Sendspin client at ${url} left before its hello: ${why}`)));
      });
    });
  }

  /** Connected players (clients with the player role). */
  players(): ReceiverDescriptor[] {
    return [...this.descriptors.values()];
  }

  /** The connection of a player id, if it is connected and said hello. */
  connection(playerId: string): SendspinConnection | undefined {
    const clientId = playerId.startsWith('sendspin:') ? playerId.slice('sendspin:'.length) : playerId;
    return this.byClient.get(clientId);
  }

  /** A connected player as a member of a synced stream; throws when it is not connected. */
  member(playerId: string, ctx: TimelineContext, opts: MemberOptions = {}): TimelineMember {
    const conn = this.connection(playerId);
    if (!conn || !conn.open) throw new Error(`Sendspin player ${playerId} is not connected`);
    if (!conn.has('player')) throw new Error(`Sendspin client ${playerId} has no player role`);
    return new SendspinMember(playerId, conn, ctx, opts);
  }

  /** Group volume/mute shown to controller clients (server/state controller). */
  setControllerState(playerId: string, volume: number, muted: boolean): void {
    const conn = this.connection(playerId);
    if (conn?.has('controller')) conn.send(serverState({ controller: { supported_commands: this.commands, volume: Math.round(volume), muted } }));
  }

  async close(): Promise<void> {
    for (const d of this.detachers.splice(0)) d();
    for (const c of this.conns) c.close();
    await Promise.all(this.httpServers.splice(0).map((h) => new Promise<void>((resolve) => h.close(() => resolve()))));
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
  }

  private pathMatches(req: IncomingMessage, path: string): boolean {
    return new URL(req.url ?? '/', 'http://x').pathname === path;
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.adopt(ws, { host: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 }, 'discovery');
    });
  }

  private adopt(ws: WebSocket, remote: { host: string; port: number }, reason: 'discovery' | 'playback'): SendspinConnection {
    const conn = new SendspinConnection(ws, { id: this.opts.id, name: this.opts.name }, remote, reason, this.limits, this.log);
    this.conns.add(conn);
    conn.on('hello', (hello) => {
      const id = playerIdOf(hello.client_id);
      // One connection per client id: a client that reconnects replaces its old socket.
      const old = this.byClient.get(hello.client_id);
      if (old && old !== conn) old.fail(CLOSE.policy, 'replaced by a new connection with the same client_id');
      this.byClient.set(hello.client_id, conn);
      if (conn.has('controller')) this.setControllerState(id, conn.volume, conn.muted);
      if (!conn.has('player')) return;
      const d: ReceiverDescriptor = {
        id,
        kind: 'sendspin',
        name: hello.name || hello.client_id,
        model: hello.device_info?.product_name ?? null,
        host: remote.host,
        port: remote.port,
        type: 'speaker',
        online: true,
        lastSeen: Date.now(),
        source: 'sendspin',
      };
      this.descriptors.set(id, d);
      this.emit('player', d);
    });
    conn.on('state', () => {
      if (conn.clientId && conn.has('player')) this.emit('playerVolume', playerIdOf(conn.clientId), conn.volume, conn.muted);
    });
    conn.on('command', (c) => {
      if (!conn.clientId || !this.commands.includes(c.command)) return;
      const params: SendspinCommand['params'] = {};
      if (c.volume !== undefined) params.volume = c.volume;
      if (c.mute !== undefined) params.mute = c.mute;
      this.emit('command', { playerId: playerIdOf(conn.clientId), command: c.command, params });
    });
    conn.on('gone', (why) => {
      this.conns.delete(conn);
      const clientId = conn.clientId;
      if (!clientId || this.byClient.get(clientId) !== conn) return;
      this.byClient.delete(clientId);
      const id = playerIdOf(clientId);
      if (this.descriptors.delete(id)) this.emit('playerGone', id, why);
    });
    return conn;
  }
}

function refuse(socket: Socket, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
