// castv2-client 1.2 (untyped, callback style) behind promises, for the emulator tests. It records
// every broadcast MEDIA_STATUS and RECEIVER_STATUS, which is all castv2-client surfaces as `status`.
import { createRequire } from 'node:module';
import { castProtoReady } from '../../../../receivers/chromecast/driver/proto-ready.js';

export interface MediaStatus {
  mediaSessionId: number;
  playerState: 'IDLE' | 'BUFFERING' | 'PLAYING' | 'PAUSED';
  currentTime: number;
  idleReason?: string;
  volume: { level: number; muted: boolean };
  activeTrackIds?: number[];
  media?: { contentId: string; duration?: number };
}

export interface ReceiverStatus {
  applications?: { appId: string; sessionId: string; transportId: string }[];
  volume: { level: number; muted: boolean };
}

type Callback<T> = (err: Error | null, value: T) => void;
interface Player {
  on(event: 'status', fn: (s: MediaStatus) => void): void;
  on(event: 'close', fn: () => void): void;
  load(media: object, options: object, cb: Callback<MediaStatus>): void;
  getStatus(cb: Callback<MediaStatus | undefined>): void;
  play(cb: Callback<MediaStatus>): void;
  pause(cb: Callback<MediaStatus>): void;
  seek(t: number, cb: Callback<MediaStatus>): void;
  stop(cb: Callback<MediaStatus>): void;
  /** Its MediaController: the raw request/response of the media channel (any reply type). */
  media: { request(data: object, cb: Callback<Record<string, unknown>>): void; currentSession: MediaStatus | null };
}
interface ClientLike {
  on(event: 'status', fn: (s: ReceiverStatus) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  connect(opts: { host: string; port: number }, cb: () => void): void;
  launch(app: unknown, cb: Callback<Player>): void;
  getStatus(cb: Callback<ReceiverStatus>): void;
  getAppAvailability(appId: string | string[], cb: Callback<Record<string, boolean>>): void;
  setVolume(v: { level?: number; muted?: boolean }, cb: Callback<{ level: number; muted: boolean }>): void;
  stop(player: Player, cb: Callback<unknown[]>): void;
  receiver: { launch(appId: string, cb: Callback<unknown>): void };
  close(): void;
}

const castv2 = createRequire(import.meta.url)('castv2-client') as { Client: new () => ClientLike; DefaultMediaReceiver: unknown };

function call<T>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

export class CastSender {
  readonly client = new castv2.Client();
  player: Player | null = null;
  /** Broadcast media statuses, in order. */
  readonly mediaStatuses: MediaStatus[] = [];
  readonly receiverStatuses: ReceiverStatus[] = [];
  readonly errors: Error[] = [];
  appClosed = false;
  private readonly waiters = new Set<() => void>();

  static async connect(host: string, port: number): Promise<CastSender> {
    await castProtoReady(); // castv2-client's sends throw before castv2's schema is loaded
    const s = new CastSender();
    s.client.on('error', (e) => s.errors.push(e));
    s.client.on('status', (st) => {
      s.receiverStatuses.push(st);
      for (const w of s.waiters) w();
    });
    await new Promise<void>((resolve) => s.client.connect({ host, port }, resolve));
    return s;
  }

  async launch(): Promise<Player> {
    const p = await call<Player>((cb) => this.client.launch(castv2.DefaultMediaReceiver, cb));
    p.on('status', (st) => {
      this.mediaStatuses.push(st);
      for (const w of this.waiters) w();
    });
    p.on('close', () => (this.appClosed = true));
    this.player = p;
    return p;
  }

  load(url: string, contentType: string, options: { autoplay?: boolean; currentTime?: number; activeTrackIds?: number[]; tracks?: object[] } = {}): Promise<MediaStatus> {
    const { tracks, ...rest } = options;
    return call((cb) => this.player!.load({ contentId: url, contentType, streamType: 'BUFFERED', metadata: { metadataType: 0, title: 'Test' }, ...(tracks ? { tracks } : {}) }, { autoplay: true, ...rest }, cb));
  }

  /** EDIT_TRACKS_INFO for the current media session: the MEDIA_STATUS answer as it came; an INVALID_REQUEST rejects ("Invalid request: REASON"). */
  editTracks(fields: object): Promise<Record<string, unknown>> {
    const media = this.player!.media;
    return call((cb) => media.request({ type: 'EDIT_TRACKS_INFO', mediaSessionId: media.currentSession?.mediaSessionId, ...fields }, cb));
  }

  status(): Promise<MediaStatus | undefined> {
    return call((cb) => this.player!.getStatus(cb));
  }

  play = () => call<MediaStatus>((cb) => this.player!.play(cb));
  pause = () => call<MediaStatus>((cb) => this.player!.pause(cb));
  seek = (t: number) => call<MediaStatus>((cb) => this.player!.seek(t, cb));
  stop = () => call<MediaStatus>((cb) => this.player!.stop(cb));
  setVolume = (v: { level?: number; muted?: boolean }) => call<{ level: number; muted: boolean }>((cb) => this.client.setVolume(v, cb));
  receiverStatus = () => call<ReceiverStatus>((cb) => this.client.getStatus(cb));
  appAvailability = (ids: string[]) => call<Record<string, boolean>>((cb) => this.client.getAppAvailability(ids, cb));
  launchById = (appId: string) => call<unknown>((cb) => this.client.receiver.launch(appId, cb));
  stopApp = () => call<unknown[]>((cb) => this.client.stop(this.player!, cb));

  /** Resolves with the first broadcast media status (from index `from`) matching `pred`. */
  mediaStatus(pred: (s: MediaStatus) => boolean, from = 0, timeoutMs = 10_000): Promise<MediaStatus> {
    return this.firstOf(this.mediaStatuses, pred, from, timeoutMs, () => `MEDIA_STATUS broadcast; got ${JSON.stringify(this.mediaStatuses.slice(from).map((s) => [s.playerState, s.currentTime, s.idleReason]))}`);
  }

  /** Resolves with the first broadcast receiver status (from index `from`) matching `pred`: a
   *  device may send it after the answer to the request that caused it, in a record of its own. */
  receiverBroadcast(pred: (s: ReceiverStatus) => boolean, from = 0, timeoutMs = 10_000): Promise<ReceiverStatus> {
    return this.firstOf(this.receiverStatuses, pred, from, timeoutMs, () => `RECEIVER_STATUS broadcast; got ${JSON.stringify(this.receiverStatuses.slice(from).map((s) => s.volume))}`);
  }

  private firstOf<T>(list: T[], pred: (s: T) => boolean, from: number, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = list.slice(from).find(pred);
        if (!hit) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching ${what()}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private closed = false;

  /** Idempotent (castv2-client throws on a second close). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }
}

/** Polls `probe` until it returns a truthy value (for things that take real time, like a clock). */
export async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
