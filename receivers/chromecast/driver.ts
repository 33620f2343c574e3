// The Cast driver: one CastReceiver per device, controlling the Default Media Receiver over
// CASTV2 (castv2-client's socket, our own requests with deadlines: driver/session.ts).
// It reports state as `status` events (from broadcasts and from replies, docs/protocols.md §1) with
// the position and the time it was true; callers interpolate. A lost connection is retried with
// backoff and the running media app rejoined (driver/reconnect.ts); only when that fails for good
// does it emit `gone`. It never blocks the event loop and never stops playback on close().
import { EventEmitter } from 'node:events';
import type { Capabilities, ConnectOptions, LoadRequest, Receiver, ReceiverDescriptor, ReceiverEvents, ReceiverStatus } from '../types.js';
import { EDIT_TRACKS, editTracksMessage, loadMessage, loadOutcome, sessionCommand } from './driver/media.js';
import { retryWithBackoff } from './driver/reconnect.js';
import { CastSession, mediaApp, type Json } from './driver/session.js';
import { applyMediaStatus, applyReceiverStatus, changed, goneStatus, initialStatus, mediaLost, type Tracked } from './driver/status.js';

export interface DriverTiming {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** LOAD is answered once the device has fetched and probed the media: give it longer. */
  loadTimeoutMs: number;
  pingIntervalMs: number;
  deadAfterMs: number;
  firstRetryMs: number;
  reconnectWindowMs: number;
}

export const DEFAULT_TIMING: DriverTiming = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  loadTimeoutMs: 30_000,
  pingIntervalMs: 5_000,
  deadAfterMs: 15_000,
  firstRetryMs: 500,
  reconnectWindowMs: 30_000,
};

export interface DriverOptions extends ConnectOptions {
  log?: (msg: string, fields?: object) => void;
  /** Tests shorten these. */
  timing?: Partial<DriverTiming>;
}

type Link = 'idle' | 'connecting' | 'up' | 'reconnecting' | 'gone' | 'closed';

export class CastReceiver extends EventEmitter<ReceiverEvents> implements Receiver {
  readonly id: string;
  readonly capabilities: Capabilities = { seek: true, volume: true, pause: true, subtitles: true };
  private readonly timing: DriverTiming;
  private readonly name: string;
  private tracked: Tracked = { status: initialStatus(Date.now()), mediaSessionId: null };
  private session: CastSession | null = null;
  private link: Link = 'idle';
  private connecting: Promise<void> | null = null;
  private readonly linkWaiters = new Set<() => void>();
  private retry: AbortController | null = null;
  /** The LOAD in flight: the session it replaces, whose IDLE/INTERRUPTED is ours to ignore. */
  private loading: { superseded: number | null } | null = null;

  constructor(private readonly descriptor: ReceiverDescriptor, private readonly opts: DriverOptions = {}) {
    super();
    this.id = descriptor.id;
    this.name = descriptor.name;
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
  }

  status(): ReceiverStatus {
    const s = this.tracked.status;
    return { ...s, volume: { ...s.volume } };
  }

  connect(): Promise<void> {
    if (this.link === 'up') return Promise.resolve();
    if (this.link === 'closed') return Promise.reject(new Error(`the driver for ${this.name} is closed`));
    if (this.link === 'reconnecting') return this.untilUp().then(() => undefined);
    this.connecting ??= (async () => {
      this.setLink('connecting');
      try {
        await this.establish();
        this.setLink('up');
        this.log('connected');
      } catch (err) {
        if (this.link === 'connecting') this.setLink('idle');
        throw err;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  async load(req: LoadRequest): Promise<void> {
    let session = await this.ready();
    if (!session.transportId) {
      const transportId = await session.launch();
      session = await this.ready();
      this.applyMedia((await session.join(transportId)).status);
    }
    const loading = { superseded: this.tracked.mediaSessionId };
    this.loading = loading;
    const volume = this.tracked.status.volume;
    this.track({ status: { state: 'loading', position: req.startAt, at: Date.now(), rate: 0, duration: req.duration, volume }, mediaSessionId: this.tracked.mediaSessionId });
    let reply: Json;
    try {
      reply = await session.request('media', loadMessage(req), this.timing.loadTimeoutMs);
    } catch (err) {
      if (this.loading === loading) this.failLoad((err as Error).message);
      throw err;
    } finally {
      if (this.loading === loading) this.loading = null;
    }
    const outcome = loadOutcome(reply, this.name);
    if (outcome.ok) return this.applyMedia(outcome.status);
    // LOAD_CANCELLED means another LOAD (ours or another sender's) took over: its statuses tell.
    if (reply.type !== 'LOAD_CANCELLED' && this.loading === null) this.failLoad(outcome.error);
    throw new Error(outcome.error);
  }

  play = (): Promise<void> => this.command('PLAY');
  pause = (): Promise<void> => this.command('PAUSE');
  seek = (seconds: number): Promise<void> => this.command('SEEK', seconds);

  async setSubtitle(index: number | null): Promise<boolean> {
    // A device that does not list EDIT_TRACKS changes tracks only with a new LOAD: the caller's.
    if (this.tracked.commands !== undefined && (this.tracked.commands & EDIT_TRACKS) === 0) return false;
    await this.mediaRequest('EDIT_TRACKS_INFO', (id) => editTracksMessage(id, index));
    return true;
  }

  async stop(): Promise<void> {
    await this.command('STOP');
    // A device may answer STOP with `status: []`: the item is over either way.
    const s = this.tracked.status;
    if (s.state !== 'idle') this.track({ status: { ...mediaLost(s, Date.now()), idleReason: 'stopped' }, mediaSessionId: null });
  }

  setVolume = (level: number): Promise<void> => this.receiverVolume({ level: Math.min(1, Math.max(0, level)) });
  setMuted = (muted: boolean): Promise<void> => this.receiverVolume({ muted });

  /** Ends timers and the socket; the device plays on. */
  async close(): Promise<void> {
    if (this.link === 'closed') return;
    this.setLink('closed');
    this.retry?.abort();
    const session = this.session;
    this.session = null;
    await session?.close();
  }

  /** Opens a session, reads the device's state and rejoins the media app if it runs. */
  private async establish(): Promise<void> {
    const { host, port } = this.descriptor;
    const session = await CastSession.open({ host, port, name: this.name, ...this.timing });
    if (this.link === 'closed') {
      await session.close();
      throw new Error(`the driver for ${this.name} is closed`);
    }
    this.session = session;
    session.on('receiver', (m) => session === this.session && m.type === 'RECEIVER_STATUS' && this.onReceiverStatus(session, m.status));
    session.on('media', (m) => session === this.session && m.type === 'MEDIA_STATUS' && this.applyMedia(m.status));
    session.on('appClosed', () => session === this.session && this.lose());
    session.once('down', (reason) => this.onDown(session, reason));
    try {
      const rs = await session.request('platform', { type: 'GET_STATUS' });
      if (this.tracked.status.idleReason === 'gone') this.track({ status: initialStatus(Date.now()), mediaSessionId: null });
      this.track({ ...this.tracked, status: applyReceiverStatus(this.tracked.status, rs.status) });
      const app = mediaApp(rs.status);
      // Join, never launch: launching here would take the screen from whatever the user runs.
      if (app) this.applyMedia((await session.join(app.transportId)).status, true);
      else this.lose();
    } catch (err) {
      if (this.session === session) this.session = null;
      await session.close();
      throw err;
    }
  }

  private onDown(session: CastSession, reason: string): void {
    if (session !== this.session) return;
    this.session = null;
    this.log('connection lost', { reason });
    if (this.link === 'up') void this.reconnect(reason);
  }

  private async reconnect(reason: string): Promise<void> {
    this.setLink('reconnecting');
    const retry = (this.retry = new AbortController());
    try {
      await retryWithBackoff(() => this.establish(), {
        firstDelayMs: this.timing.firstRetryMs,
        windowMs: this.timing.reconnectWindowMs,
        signal: retry.signal,
        onAttemptFailed: (err, attempt) => this.log('reconnect attempt failed', { attempt, error: err.message }),
      });
      this.setLink('up');
      this.log('reconnected');
    } catch (err) {
      if (retry.signal.aborted || this.link === 'closed') return;
      const why = `lost the connection to ${this.name} (${reason}) and could not reconnect within ${this.timing.reconnectWindowMs / 1000} s: ${(err as Error).message}`;
      this.setLink('gone');
      this.log('gone', { reason: why });
      this.track({ status: goneStatus(this.tracked.status, Date.now(), why), mediaSessionId: null });
      this.emit('gone', why);
    } finally {
      if (this.retry === retry) this.retry = null;
    }
  }

  /** The connected session; connects first when never connected (or gone), waits while reconnecting. */
  private async ready(): Promise<CastSession> {
    if (this.link === 'idle' || this.link === 'gone') await this.connect();
    return this.untilUp();
  }

  private untilUp(): Promise<CastSession> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.link === 'up' && this.session) resolve(this.session);
        else if (this.link === 'closed') reject(new Error(`the driver for ${this.name} is closed`));
        else if (this.link === 'gone' || this.link === 'idle') reject(new Error(`${this.name} is not connected`));
        else return false;
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.linkWaiters.delete(waiter);
        reject(new Error(`${this.name} is reconnecting; still not back after ${this.timing.requestTimeoutMs / 1000} s`));
      }, this.timing.requestTimeoutMs);
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.linkWaiters.delete(waiter);
      };
      this.linkWaiters.add(waiter);
    });
  }

  private setLink(link: Link): void {
    this.link = link;
    for (const w of [...this.linkWaiters]) w();
  }

  private command(type: 'PLAY' | 'PAUSE' | 'STOP' | 'SEEK', seconds?: number): Promise<void> {
    return this.mediaRequest(type, (id) => sessionCommand(type, id, seconds));
  }

  /** A request about the loaded media session, built once its id is known; applies the status it answers with. */
  private async mediaRequest(type: string, build: (mediaSessionId: number) => Json): Promise<void> {
    const session = await this.ready();
    const id = this.tracked.mediaSessionId;
    // Until the device names the new media session, commands would hit the one being replaced.
    if (this.loading && id === this.loading.superseded) throw new Error(`${this.name} is still loading the media`);
    if (id === null || this.tracked.status.state === 'idle' || !session.transportId) {
      if (type === 'STOP') return;
      throw new Error(`nothing is loaded on ${this.name}`);
    }
    const reply = await session.request('media', build(id));
    if (reply.type !== 'MEDIA_STATUS') throw new Error(`${this.name} refused ${type} (${String(reply.reason ?? reply.type)})`);
    this.applyMedia(reply.status);
  }

  private async receiverVolume(volume: { level?: number; muted?: boolean }): Promise<void> {
    const session = await this.ready();
    const reply = await session.request('platform', { type: 'SET_VOLUME', volume });
    if (reply.type !== 'RECEIVER_STATUS') throw new Error(`${this.name} refused SET_VOLUME (${String(reply.reason ?? reply.type)})`);
    this.track({ ...this.tracked, status: applyReceiverStatus(this.tracked.status, reply.status) });
  }

  private onReceiverStatus(session: CastSession, status: unknown): void {
    this.track({ ...this.tracked, status: applyReceiverStatus(this.tracked.status, status) });
    // Our app no longer listed: it was stopped or replaced (its CLOSE may never come).
    const app = mediaApp(status);
    if (session.transportId && app?.transportId !== session.transportId) {
      session.transportId = null;
      this.lose();
    }
  }

  private applyMedia(list: unknown, fresh = false): void {
    this.track(applyMediaStatus(this.tracked, list, Date.now(), { superseded: this.loading?.superseded ?? null, fresh }));
  }

  /** The media session vanished without an IDLE we heard. */
  private lose(): void {
    this.track({ status: mediaLost(this.tracked.status, Date.now()), mediaSessionId: null });
  }

  private failLoad(error: string): void {
    const s = this.tracked.status;
    this.track({ ...this.tracked, status: { ...s, state: 'idle', at: Date.now(), rate: 0, idleReason: 'error', error } });
  }

  private track(next: Tracked): void {
    const prev = this.tracked.status;
    this.tracked = next;
    if (next.status !== prev && changed(prev, next.status)) this.emit('status', this.status());
  }

  private log(msg: string, fields: object = {}): void {
    this.opts.log?.(`cast driver: ${msg}`, { receiver: this.id, ...fields });
  }
}

/** The Cast kind's driver factory: one receiver per descriptor; call connect() (or just load()). */
export function connectReceiver(descriptor: ReceiverDescriptor, opts?: DriverOptions): Receiver {
  return new CastReceiver(descriptor, opts);
}
