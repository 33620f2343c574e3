// One TLS connection to a Cast device: the platform channel (receiver-0), the heartbeat, requests
// with deadlines, and the channel to the Default Media Receiver once joined or launched.
// It never reconnects: when the socket dies or goes silent it rejects what is pending and emits
// 'down' once; the driver decides what comes next. Unsolicited messages (broadcasts) are emitted
// as 'receiver' / 'media'; replies go only to the request that asked.
import { EventEmitter } from 'node:events';
import castv2client from 'castv2-client';
import { startHeartbeat, type Heartbeat } from './heartbeat.js';
import { castProtoReady } from './proto-ready.js';
import { MEDIA_APP_ID, NS, PLATFORM_ID } from '../protocol.js';

export { NS, MEDIA_APP_ID };

// pychromecast uses sender-0 for every channel; a virtual connection is (sender, destination).
const SENDER = 'sender-0';

export type Json = Record<string, unknown>;

export interface SessionOptions {
  host: string;
  port: number;
  /** Device name, for messages. */
  name: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  pingIntervalMs: number;
  deadAfterMs: number;
}

interface SessionEvents {
  receiver: [Json];
  media: [Json];
  /** The media app closed our channel (it stopped, or another app took over). */
  appClosed: [];
  /** A message from the joined app on a namespace other than media (Cast Streaming's webrtc). */
  app: [string, Json];
  down: [string];
}

interface Pending {
  from: string;
  resolve(reply: Json): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** The media app's (or app `appId`'s) entry in a RECEIVER_STATUS, if it runs. */
export function mediaApp(receiverStatus: unknown, appId = MEDIA_APP_ID): { sessionId: string; transportId: string } | null {
  const apps = (receiverStatus as { applications?: unknown } | undefined)?.applications;
  if (!Array.isArray(apps)) return null;
  const app = apps.find((a: Json) => a?.appId === appId && typeof a.transportId === 'string') as Json | undefined;
  return app ? { sessionId: String(app.sessionId ?? app.transportId), transportId: app.transportId as string } : null;
}

export class CastSession extends EventEmitter<SessionEvents> {
  /** The media app's channel, once joined. */
  transportId: string | null = null;
  private readonly wire = new castv2client.Client().client;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private heartbeat: Heartbeat | null = null;
  private lastError: Error | null = null;
  private isDown = false;
  private readonly closed: Promise<void>;

  private constructor(private readonly opts: SessionOptions) {
    super();
    this.wire.on('error', (err) => (this.lastError = err));
    this.closed = new Promise((resolve) => this.wire.once('close', () => resolve()));
    this.wire.on('message', (src, dst, ns, data) => this.onMessage(src, dst, ns, data));
  }

  /** TLS connect + CONNECT to the platform + heartbeat. */
  static async open(opts: SessionOptions): Promise<CastSession> {
    await castProtoReady();
    const s = new CastSession(opts);
    await s.start();
    return s;
  }

  private start(): Promise<void> {
    const { host, port, name, connectTimeoutMs } = this.opts;
    const where = `${name} (${host}:${port})`;
    return new Promise((resolve, reject) => {
      let settled = false;
      let opened = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.destroy();
        reject(new Error(`cannot connect to ${where}: ${why}`));
      };
      const timer = setTimeout(() => fail(`no answer within ${connectTimeoutMs / 1000} s`), connectTimeoutMs);
      this.wire.once('close', () => {
        if (!opened) fail(this.lastError?.message ?? 'connection closed');
        else this.goDown(this.lastError ? this.lastError.message : 'the device closed the connection');
      });
      this.wire.connect({ host, port }, () => {
        if (settled) return;
        settled = opened = true;
        clearTimeout(timer);
        this.send(PLATFORM_ID, NS.connection, { type: 'CONNECT' });
        this.heartbeat = startHeartbeat({
          intervalMs: this.opts.pingIntervalMs,
          deadAfterMs: this.opts.deadAfterMs,
          ping: () => this.send(PLATFORM_ID, NS.heartbeat, { type: 'PING' }),
          onDead: (ms) => this.goDown(`no answer for ${Math.round(ms / 100) / 10} s`),
        });
        resolve();
      });
    });
  }

  /** Sends a request; resolves with the reply carrying its requestId, rejects on timeout or loss. */
  request(to: 'platform' | 'media', payload: Json, timeoutMs = this.opts.requestTimeoutMs): Promise<Json> {
    const dest = to === 'platform' ? PLATFORM_ID : this.transportId;
    const ns = to === 'platform' ? NS.receiver : NS.media;
    const label = String(payload.type);
    if (this.isDown) return Promise.reject(new Error(`cannot send ${label}: the connection to ${this.opts.name} is down`));
    if (!dest) return Promise.reject(new Error(`cannot send ${label}: not joined to the media app on ${this.opts.name}`));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`${this.opts.name} did not answer ${label} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(requestId, { from: dest, resolve, reject, timer });
      this.send(dest, ns, { ...payload, requestId });
    });
  }

  /** Opens our channel to a running media app and reads its media status. */
  async join(transportId: string): Promise<Json> {
    this.transportId = transportId;
    this.send(transportId, NS.connection, { type: 'CONNECT' });
    return this.request('media', { type: 'GET_STATUS' });
  }

  /** LAUNCH (joins it when it already runs); waits for a RECEIVER_STATUS listing the app. */
  async launch(appId = MEDIA_APP_ID, what = 'the media receiver'): Promise<string> {
    const deadline = Date.now() + this.opts.requestTimeoutMs;
    const reply = await this.request('platform', { type: 'LAUNCH', appId });
    if (reply.type === 'LAUNCH_ERROR') throw new Error(`${this.opts.name} cannot start ${what} (${String(reply.reason ?? 'LAUNCH_ERROR')})`);
    // Some devices answer before the app is up; the broadcast that lists it follows.
    const app = mediaApp(reply.status, appId) ?? (await this.nextAppBroadcast(deadline - Date.now(), appId));
    return app.transportId;
  }

  /** Opens our channel to a running app without the media namespace (the mirroring app). */
  connectApp(transportId: string): void {
    this.transportId = transportId;
    this.send(transportId, NS.connection, { type: 'CONNECT' });
  }

  /** Sends to the joined app on `ns`; its replies come as 'app' events. */
  sendApp(ns: string, payload: Json): void {
    if (this.transportId) this.send(this.transportId, ns, payload);
  }

  private nextAppBroadcast(timeoutMs: number, appId: string): Promise<{ transportId: string }> {
    return new Promise((resolve, reject) => {
      const onStatus = (msg: Json) => {
        const app = msg.type === 'RECEIVER_STATUS' ? mediaApp(msg.status, appId) : null;
        if (app) done(() => resolve(app));
      };
      const onDown = (why: string) => done(() => reject(new Error(why)));
      const timer = setTimeout(() => done(() => reject(new Error(`${this.opts.name} did not start the media receiver within ${this.opts.requestTimeoutMs / 1000} s`))), Math.max(0, timeoutMs));
      const done = (then: () => void) => {
        clearTimeout(timer);
        this.off('receiver', onStatus).off('down', onDown);
        then();
      };
      this.on('receiver', onStatus).on('down', onDown);
    });
  }

  /** Ends the connection without telling anyone ('down' is not emitted); playback on the device goes on. */
  async close(): Promise<void> {
    this.goDown(null);
    await this.closed;
  }

  /** Rejects what is pending, closes the socket, reports `reason` (none when we chose to close). */
  private goDown(reason: string | null): void {
    if (this.isDown) return;
    this.isDown = true;
    this.heartbeat?.stop();
    const err = new Error(reason ? `connection to ${this.opts.name} lost (${reason})` : `connection to ${this.opts.name} closed`);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    this.destroy();
    if (reason) this.emit('down', reason);
  }

  private destroy(): void {
    if (this.wire.socket) this.wire.close();
  }

  private send(dest: string, ns: string, payload: Json): void {
    try {
      this.wire.send(SENDER, dest, ns, JSON.stringify(payload));
    } catch (err) {
      // castv2 throws when the socket is gone; 'close' follows and reports it.
      this.lastError ??= err as Error;
    }
  }

  private onMessage(src: string, dst: string, ns: string, raw: string | Buffer): void {
    this.heartbeat?.traffic();
    if (typeof raw !== 'string' || (dst !== SENDER && dst !== '*')) return;
    let data: Json;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return;
      data = parsed as Json;
    } catch {
      return;
    }
    if (ns === NS.heartbeat) {
      if (data.type === 'PING') this.send(src, NS.heartbeat, { type: 'PONG' });
      return;
    }
    if (ns === NS.connection) {
      if (data.type !== 'CLOSE') return;
      if (src === PLATFORM_ID) return this.goDown('the device closed our channel');
      if (src === this.transportId) {
        this.transportId = null;
        this.emit('appClosed');
      }
      return;
    }
    const requestId = typeof data.requestId === 'number' ? data.requestId : 0;
    const waiting = requestId > 0 ? this.pending.get(requestId) : undefined;
    if (waiting && waiting.from === src) {
      this.pending.delete(requestId);
      clearTimeout(waiting.timer);
      waiting.resolve(data);
      return;
    }
    if (requestId > 0) return; // a late reply to a request that timed out, or another sender's
    if (ns === NS.receiver && src === PLATFORM_ID) this.emit('receiver', data);
    else if (ns === NS.media && src === this.transportId) this.emit('media', data);
    else if (src === this.transportId) this.emit('app', ns, data);
  }
}
