// One Sendspin client on one WebSocket, from the server's side: the handshake, the clock exchange
// and the limits that keep one bad client from hurting the others. Whatever it sends that breaks
// the spec closes its own socket with a close code and a reason it can read, nothing else.
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { serverMicros } from '../shared/server-clock.js';
import {
  activateRoles,
  hasRole,
  parseClientMessage,
  serverHello,
  serverTime,
  type ClientHello,
  type ClientMessage,
  type ControllerCommand,
  type GoodbyeReason,
  type Role,
  type RoleFamily,
  type ServerMessage,
} from './protocol.js';

/** WebSocket close codes (RFC 6455 §7.4.1). */
export const CLOSE = { normal: 1000, goingAway: 1001, unsupportedData: 1003, invalidPayload: 1007, policy: 1008, tooBig: 1009 } as const;

export interface ConnectionLimits {
  /** Time a client has to send client/hello after connecting. */
  helloTimeoutMs: number;
  /** client/time answered per second on average, and in one burst (sendspin-js sends bursts of 8). */
  timePerSecond: number;
  timeBurst: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = { helloTimeoutMs: 5000, timePerSecond: 20, timeBurst: 40 };

export interface ServerIdentity {
  id: string;
  name: string;
}

export interface ConnectionEvents {
  hello: [ClientHello];
  state: [];
  command: [{ command: ControllerCommand; volume?: number; mute?: boolean }];
  requestFormat: [Extract<ClientMessage, { type: 'stream/request-format' }>['payload']];
  /** The socket is closed; `reason` says why (goodbye reason, protocol error, or 'closed'). */
  gone: [string];
}

export class SendspinConnection extends EventEmitter<ConnectionEvents> {
  hello: ClientHello | null = null;
  activeRoles: Role[] = [];
  /** Client-level state and the player's volume/mute as the client last said. */
  state: 'synchronized' | 'error' | 'external_source' = 'synchronized';
  volume = 100;
  muted = false;
  goodbye: GoodbyeReason | null = null;
  private closedReason: string | null = null;
  private readonly helloTimer: NodeJS.Timeout;
  private tokens: number;
  private tokensAt = performance.now();

  constructor(
    readonly ws: WebSocket,
    private readonly server: ServerIdentity,
    readonly remote: { host: string; port: number },
    readonly connectionReason: 'discovery' | 'playback',
    private readonly limits: ConnectionLimits = DEFAULT_LIMITS,
    private readonly log: (line: Record<string, unknown>) => void = () => {},
  ) {
    super();
    this.tokens = limits.timeBurst;
    this.helloTimer = setTimeout(() => this.fail(CLOSE.policy, `no client/hello within ${limits.helloTimeoutMs} ms`), limits.helloTimeoutMs);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.fail(CLOSE.unsupportedData, 'clients send no binary messages');
      this.onText(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    });
    ws.on('error', (err) => this.log({ event: 'socket-error', client: this.clientId, error: err.message }));
    ws.on('close', (code, reason) => {
      clearTimeout(this.helloTimer);
      const why = this.closedReason ?? this.goodbye ?? (code === CLOSE.tooBig ? 'message too big' : reason.length ? reason.toString() : 'closed');
      this.emit('gone', why);
    });
  }

  get clientId(): string | undefined {
    return this.hello?.client_id;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  has(family: RoleFamily): boolean {
    return hasRole(this.activeRoles, family);
  }

  send(message: ServerMessage): void {
    if (this.open) this.ws.send(JSON.stringify(message));
  }

  sendBinary(frame: Buffer): void {
    if (this.open) this.ws.send(frame, { binary: true });
  }

  /** Closes this client's socket alone, with a reason it can read. */
  fail(code: number, reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.log({ event: 'client-refused', client: this.clientId ?? null, reason });
    // A close reason is at most 123 bytes.
    this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  close(reason = 'server closing'): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.ws.close(CLOSE.goingAway, reason);
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private onText(text: string): void {
    const receivedUs = serverMicros();
    const parsed = parseClientMessage(text);
    if (!parsed.ok) return this.fail(parsed.reason === 'json' ? CLOSE.invalidPayload : CLOSE.policy, parsed.error);
    if ('ignored' in parsed) return;
    const m = parsed.message;
    if (!this.hello && m.type !== 'client/hello') return this.fail(CLOSE.policy, `${m.type} before client/hello`);
    switch (m.type) {
      case 'client/hello':
        return this.onHello(m.payload);
      case 'client/time':
        if (!this.takeTimeToken()) return this.fail(CLOSE.policy, `too many client/time (over ${this.limits.timePerSecond}/s)`);
        return this.send(serverTime({ client_transmitted: m.payload.client_transmitted, server_received: receivedUs, server_transmitted: serverMicros() }));
      case 'client/state':
        if (m.payload.state) this.state = m.payload.state;
        if (m.payload.player?.volume !== undefined) this.volume = m.payload.player.volume;
        if (m.payload.player?.muted !== undefined) this.muted = m.payload.player.muted;
        this.emit('state');
        return;
      case 'client/command':
        if (!m.payload.controller) return;
        if (!this.has('controller')) return this.fail(CLOSE.policy, 'client/command needs the controller role');
        this.emit('command', m.payload.controller);
        return;
      case 'stream/request-format':
        this.emit('requestFormat', m.payload);
        return;
      case 'client/goodbye':
        // "Upon receiving this message, the server should initiate the disconnect."
        this.goodbye = m.payload.reason;
        this.closedReason = m.payload.reason;
        this.ws.close(CLOSE.normal, 'goodbye');
        return;
    }
  }

  private onHello(hello: ClientHello): void {
    if (this.hello) return this.fail(CLOSE.policy, 'a second client/hello');
    clearTimeout(this.helloTimer);
    const { active, unknown } = activateRoles(hello.supported_roles);
    if (active.includes('player@v1') && !hello['player@v1_support']) return this.fail(CLOSE.policy, 'player@v1 listed without player@v1_support');
    this.hello = hello;
    this.activeRoles = active;
    if (unknown.length) this.log({ event: 'roles-not-implemented', client: hello.client_id, roles: unknown });
    this.send(serverHello({ server_id: this.server.id, name: this.server.name, active_roles: active, connection_reason: this.connectionReason }));
    this.emit('hello', hello);
  }

  /** Token bucket over client/time: a client syncing as the reference does never runs dry. */
  private takeTimeToken(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.limits.timeBurst, this.tokens + ((now - this.tokensAt) / 1000) * this.limits.timePerSecond);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
