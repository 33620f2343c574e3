// The Sendspin server role (github Sendspin/spec): WebSocket endpoint on its own port (8927,
// `/sendspin`) and on the main HTTP server's `/sendspin` for the browser player (same origin
// only), and outgoing connections to players that advertise `_sendspin._tcp`. Players become
// receiver descriptors (`sendspin:<client_id>`); controller commands are emitted for the session
// to act on; a player joins a synced stream through member() (member.ts).
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { MemberOptions, TimelineContext, TimelineMember } from '../shared/timeline-member.js';
import type { ReceiverDescriptor } from '../types.js';
import { CLOSE, DEFAULT_LIMITS, SendspinConnection, type ConnectionLimits } from './connection.js';
import { SendspinMember } from './member.js';
import { CONTROLLER_COMMANDS, groupUpdate, serverState, type ControllerCommand } from './protocol.js';

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
  /** JSON log lines (sockets that failed; refused clients too when `refused` is not given). */
  log?: (line: Record<string, unknown>) => void;
  /** Refused upgrades (Origin, Host, session): the caller bounds them (a page retrying in a loop
   *  must not fill the disk); without it they go to `log`, one line each. */
  refused?: (line: Record<string, string | null>) => void;
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

const REPLACED = 'replaced by a new connection with the same client_id';
/** Goodbye reasons after which the server must not reconnect (spec `client/goodbye`); and our own closes. */
const NO_RECONNECT = new Set(['another_server', 'shutdown', 'user_request', 'server closing', REPLACED]);

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
  private readonly refused: (line: Record<string, string | null>) => void;
  private readonly commands: ControllerCommand[];
  /** URLs of players we connect to (connectTo), with the timer of the next attempt while away. */
  private readonly dialed = new Map<string, NodeJS.Timeout | null>();
  private readonly dialedConns = new Map<string, SendspinConnection>();
  private closed = false;

  constructor(private readonly opts: SendspinServerOptions) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.log = opts.log ?? (() => {});
    this.refused = opts.refused ?? this.log;
    this.commands = opts.controllerCommands ?? CONTROLLER_COMMANDS.filter((c) => c !== 'switch');
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? MAX_MESSAGE_BYTES });
  }

  /**
   * Listens on its own port (the spec's 8927) for players on the network; resolves with the port
   * bound. Players are not web pages: an upgrade carrying an Origin (a browser page, of any site)
   * gets 403 unless `allowBrowsers`; a page's player belongs on `attach`'s path, behind its checks.
   */
  async listen(o: { host?: string; port?: number; path?: string; allowBrowsers?: boolean } = {}): Promise<{ port: number }> {
    const path = o.path ?? DEFAULT_PATH;
    const http = createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end(`Sendspin: connect with a WebSocket to ${path}\n`));
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (!this.pathMatches(req, path)) return refuse(socket, 404, 'Not Found');
      if (!o.allowBrowsers && req.headers.origin !== undefined) {
        this.refused({ event: 'origin-refused', origin: req.headers.origin });
        return refuse(socket, 403, 'Forbidden');
      }
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
   * `allowOrigin` refuses gets 403; a request `allowRequest` refuses (no session) gets 401; one whose
   * Host `allowHost` refuses (a name that server does not answer to: DNS rebinding) gets 421.
   */
  attach(http: Server | HttpsServer, o: { allowOrigin: (origin: string | undefined) => boolean; allowRequest?: (req: IncomingMessage) => boolean; allowHost?: (req: IncomingMessage) => boolean; path?: string }): void {
    const path = o.path ?? DEFAULT_PATH;
    const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (!this.pathMatches(req, path)) return;
      if (o.allowHost && !o.allowHost(req)) return refuse(socket, 421, 'Misdirected Request');
      if (!o.allowOrigin(req.headers.origin)) {
        this.refused({ event: 'origin-refused', origin: req.headers.origin ?? null });
        return refuse(socket, 403, 'Forbidden');
      }
      if (o.allowRequest && !o.allowRequest(req)) {
        this.refused({ event: 'session-refused', host: req.socket.remoteAddress ?? null });
        return refuse(socket, 401, 'Unauthorized');
      }
      this.upgrade(req, socket, head);
    };
    http.on('upgrade', onUpgrade);
    this.detachers.push(() => http.off('upgrade', onUpgrade));
  }

  /**
   * Server-initiated connection to a player that advertises `_sendspin._tcp` (spec "Server
   * Initiated Connections"). Resolves with its player id once it said hello. When that connection
   * is lost without a goodbye saying not to (spec: assume 'restart'), the server dials again, 1 s
   * then doubling up to 30 s, until it is back, forget(url) or close().
   */
  connectTo(url: string, reason: 'discovery' | 'playback' = 'discovery'): Promise<string> {
    // Discovery seeing a player again while we are connected to it is not a reason to reconnect.
    const live = this.dialedConns.get(url);
    if (live?.open && live.clientId) return Promise.resolve(playerIdOf(live.clientId));
    const pending = this.dialed.get(url);
    if (pending) clearTimeout(pending);
    this.dialed.set(url, null);
    return this.dial(url, reason, null);
  }

  /** Stops dialing a player again (it is gone from mDNS, or removed). */
  forget(url: string): void {
    const t = this.dialed.get(url);
    if (t) clearTimeout(t);
    this.dialed.delete(url);
  }

  private dial(url: string, reason: 'discovery' | 'playback', retry: number | null): Promise<string> {
    const u = new URL(url);
    const ws = new WebSocket(url, { maxPayload: this.opts.maxMessageBytes ?? MAX_MESSAGE_BYTES, handshakeTimeout: 5000 });
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => {
        if (retry !== null) this.redial(url, retry + 1);
        reject(err);
      };
      ws.once('error', failed);
      ws.once('open', () => {
        ws.off('error', failed);
        ws.on('error', () => {});
        const conn = this.adopt(ws, { host: u.hostname, port: Number(u.port) || 80 }, reason);
        this.dialedConns.set(url, conn);
        conn.once('hello', (h) => resolve(playerIdOf(h.client_id)));
        conn.once('gone', (why) => {
          if (this.dialedConns.get(url) === conn) this.dialedConns.delete(url);
          reject(new Error(`Sendspin client at ${url} left before its hello: ${why}`));
          if (!NO_RECONNECT.has(why)) this.redial(url, conn.hello ? 0 : (retry ?? 0) + 1);
        });
      });
    });
  }

  private redial(url: string, attempt: number): void {
    if (this.closed || !this.dialed.has(url)) return;
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
    this.log({ event: 'redial', url, inMs: delay });
    this.dialed.set(
      url,
      setTimeout(() => {
        this.dialed.set(url, null);
        this.dial(url, 'discovery', attempt).catch(() => {});
      }, delay),
    );
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

  /** Tells a client which group it is in (group/update group_id, group_name). */
  setGroup(playerId: string, group: { id: string; name: string }): void {
    this.connection(playerId)?.send(groupUpdate({ group_id: group.id, group_name: group.name }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const url of [...this.dialed.keys()]) this.forget(url);
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
      if (old && old !== conn) old.fail(CLOSE.policy, REPLACED);
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
