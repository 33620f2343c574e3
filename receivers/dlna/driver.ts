// The DLNA renderer driver: one Receiver per renderer, a UPnP AV control point (AVTransport:1,
// RenderingControl:1). load() sends SetAVTransportURI with our signed URL and its DIDL-Lite, then
// Play; GetTransportInfo + GetPositionInfo are polled every second while an item is loaded (the
// truth for state and position); GENA LastChange events make the next poll come sooner and carry
// volume and mute. Gapless: preload() sends SetNextAVTransportURI when the SCPD lists it, and a
// TrackURI that turns into that URL is the move on. SOAP faults and unreadable answers are errors
// that name the renderer and the action; the session goes on. Never blocks the event loop.
import { EventEmitter } from 'node:events';
import type { Capabilities, ConnectOptions, IdleReason, LoadRequest, Receiver, ReceiverDescriptor, ReceiverEvents, ReceiverStatus } from '../types.js';
import { AV_TRANSPORT, describeRenderer, knownDevice, rememberDevice, RENDERING_CONTROL, type RendererDevice, type ServiceUrls } from './device.js';
import { didlFor } from './didl.js';
import { GenaSubscriber, localAddressFor, readLastChange } from './gena.js';
import { BadSoapAnswer, SoapFault, soap } from './soap.js';
import { formatUpnpTime } from './time.js';
import { END_SLACK_S, endReason, readTransport, type TransportReading } from './transport.js';

export interface DlnaDriverOptions extends ConnectOptions {
  pollMs?: number;
  requestTimeoutMs?: number;
  /** How long load() waits for PLAYING before it returns with 'loading' (default 20 s). */
  loadTimeoutMs?: number;
  /** An item that has not started this long after Play is an error (default 60 s). */
  startTimeoutMs?: number;
  /** Polls that fail in a row before the renderer counts as gone (default 3). */
  failuresBeforeGone?: number;
  log?: (msg: string, fields?: object) => void;
}

interface Current {
  readonly req: LoadRequest;
  started: boolean;
  since: number;
  pausedByUs: boolean;
  /** Seen TRANSITIONING after Play: a STOPPED now is the renderer giving up, not "not yet". */
  transitioned: boolean;
  next?: LoadRequest;
  onReady?: (err?: Error) => void;
}

export class DlnaReceiver extends EventEmitter<ReceiverEvents> implements Receiver {
  readonly id: string;
  readonly capabilities: Capabilities = { seek: true, volume: true, pause: true, subtitles: false };
  private readonly name: string;
  private dev: RendererDevice | undefined;
  private st: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  private cur: Current | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private failures = 0;
  private closed = false;
  private gena: GenaSubscriber | undefined;

  constructor(descriptor: ReceiverDescriptor, private readonly opts: DlnaDriverOptions = {}) {
    super();
    this.id = descriptor.id;
    this.name = descriptor.name;
  }

  status(): ReceiverStatus {
    return { ...this.st, volume: { ...this.st.volume } };
  }

  private set(next: Partial<ReceiverStatus>, idleReason?: IdleReason, error?: string): void {
    const { idleReason: _r, error: _e, preloaded: _p, ...rest } = this.st;
    this.st = { ...rest, at: Date.now(), ...next, ...(idleReason ? { idleReason } : {}), ...(error ? { error } : {}) };
    this.emit('status', this.status());
  }

  private now(): number {
    return this.st.position + (this.st.rate * (Date.now() - this.st.at)) / 1000;
  }

  private call(service: ServiceUrls, action: string, args: Record<string, string | number> = {}): Promise<Record<string, string>> {
    return soap({ controlUrl: service.controlUrl, serviceType: service.serviceType, action, args, timeoutMs: this.opts.requestTimeoutMs ?? 10_000, device: this.name });
  }

  private av(action: string, args: Record<string, string | number> = {}): Promise<Record<string, string>> {
    return this.call(this.device().avTransport, action, { InstanceID: 0, ...args });
  }

  private rc(action: string, args: Record<string, string | number> = {}): Promise<Record<string, string>> {
    const rc = this.device().renderingControl;
    if (!rc) return Promise.reject(new Error(`${this.name} has no RenderingControl: it takes no volume from us`));
    return this.call(rc, action, { InstanceID: 0, ...args });
  }

  private device(): RendererDevice {
    if (!this.dev) throw new Error(`not connected to ${this.name}`);
    return this.dev;
  }

  /** Knows the renderer (from discovery, else describes it again), checks it answers, reads its volume, subscribes to events. */
  async connect(): Promise<void> {
    if (this.closed) throw new Error(`the driver for ${this.name} is closed`);
    const known = knownDevice(this.id);
    // Seen at another address since (restarted on a new port): describe it again.
    if (this.dev && (!known || known.location === this.dev.location)) return;
    if (!known) throw new Error(`${this.name} has not been found by SSDP yet (its description address is not known)`);
    // Described again at each connect: a renderer that restarted may have moved its control URLs.
    const dev = await describeRenderer(known.location, this.opts.requestTimeoutMs ?? 5000).catch((e: Error) => {
      throw new Error(`${this.name} did not answer: ${e.message}`);
    });
    rememberDevice(dev);
    this.dev = dev;
    await this.av('GetTransportInfo');
    await this.readVolume().catch(() => undefined);
    this.gena?.close();
    void this.subscribe(dev).catch((e: Error) => this.opts.log?.('dlna events unavailable (polling only)', { id: this.id, reason: e.message }));
  }

  private async readVolume(): Promise<void> {
    const [v, m] = await Promise.all([this.rc('GetVolume', { Channel: 'Master' }), this.rc('GetMute', { Channel: 'Master' })]);
    const level = Number(v.CurrentVolume);
    this.st = { ...this.st, volume: { level: Number.isFinite(level) ? Math.min(1, Math.max(0, level / 100)) : this.st.volume.level, muted: m.CurrentMute === '1' || m.CurrentMute === 'true' } };
  }

  private async subscribe(dev: RendererDevice): Promise<void> {
    const gena = (this.gena = new GenaSubscriber((type, props) => this.onEvent(type, props)));
    const u = new URL(dev.location);
    const local = await localAddressFor(u.hostname, Number(u.port || 80));
    for (const s of [dev.avTransport, dev.renderingControl]) if (s?.eventUrl && !this.closed) await gena.subscribe(s.eventUrl, s.serviceType, local);
  }

  private onEvent(serviceType: string, props: Record<string, string>): void {
    if (this.closed || !props.LastChange) return;
    const vars = readLastChange(props.LastChange);
    if (serviceType.startsWith(RENDERING_CONTROL.slice(0, -1))) {
      const level = vars.Volume !== undefined ? Number(vars.Volume) : NaN;
      const muted = vars.Mute !== undefined ? vars.Mute === '1' || vars.Mute === 'true' : this.st.volume.muted;
      const volume = { level: Number.isFinite(level) ? Math.min(1, Math.max(0, level / 100)) : this.st.volume.level, muted };
      if (volume.level !== this.st.volume.level || volume.muted !== this.st.volume.muted) this.set({ volume, position: this.now() });
      return;
    }
    if (!serviceType.startsWith(AV_TRANSPORT.slice(0, -1)) || !vars.TransportState) return;
    // A photo may be shown and STOPPED again between two polls (gmediarender: half a second): the event saw it begin.
    if (this.cur?.req.metadata.kind === 'photo' && /^(PLAYING|TRANSITIONING)$/.test(vars.TransportState)) this.cur.transitioned = true;
    this.pollSoon();
  }

  async load(req: LoadRequest): Promise<void> {
    if (this.closed) throw new Error(`the driver for ${this.name} is closed`);
    await this.connect();
    this.drop();
    const cur: Current = { req, started: false, since: Date.now(), pausedByUs: false, transitioned: false };
    this.cur = cur;
    this.set({ state: 'loading', position: req.startAt, rate: 0, duration: req.duration });
    try {
      await this.av('SetAVTransportURI', { CurrentURI: req.url, CurrentURIMetaData: didlFor(req) });
      if (this.cur !== cur) return;
      await this.av('Play', { Speed: 1 });
      if (this.cur !== cur) return;
      cur.since = Date.now();
      const ready = new Promise<void>((resolve, reject) => (cur.onReady = (err) => (err ? reject(err) : resolve())));
      this.failures = 0;
      this.pollSoon();
      const timeout = setTimeout(() => cur.onReady?.(), this.opts.loadTimeoutMs ?? 20_000); // still loading: statuses say so
      try {
        await ready;
      } finally {
        clearTimeout(timeout);
        cur.onReady = undefined;
      }
      if (this.cur === cur && req.startAt > 0 && !req.live) await this.seek(req.startAt);
    } catch (err) {
      const e = this.explain(err, req);
      if (this.cur === cur) this.fail(cur, e.message);
      throw e;
    }
  }

  private explain(err: unknown, req: LoadRequest): Error {
    if (err instanceof SoapFault && err.code === 714) return new Error(`${this.name} does not play ${req.contentType} ("${req.metadata.title}"): ${err.message}`);
    return err instanceof Error ? err : new Error(String(err));
  }

  /** Gapless: the renderer goes on to `next` by itself when its SCPD lists SetNextAVTransportURI. */
  preload(next: LoadRequest): void {
    const cur = this.cur;
    if (!cur || !this.dev?.actions.includes('SetNextAVTransportURI')) return;
    this.av('SetNextAVTransportURI', { NextURI: next.url, NextURIMetaData: didlFor(next) })
      .then(() => { if (this.cur === cur) cur.next = next; })
      .catch((e: Error) => this.opts.log?.('dlna preload refused', { id: this.id, reason: e.message }));
  }

  private fail(cur: Current, message: string): void {
    cur.onReady?.(new Error(message));
    if (this.cur === cur) this.cur = undefined;
    this.stopPolling();
    this.set({ state: 'idle', rate: 0 }, 'error', message);
  }

  private drop(): void {
    const cur = this.cur;
    if (!cur) return;
    cur.onReady?.(new Error('replaced by another load'));
    this.cur = undefined;
    this.stopPolling();
  }

  private stopPolling(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  private pollSoon(delay = 0): void {
    if (this.closed || !this.cur) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  private async poll(): Promise<void> {
    const cur = this.cur;
    const every = this.opts.pollMs ?? 1000;
    if (!cur || this.polling) return this.pollSoon(every);
    this.polling = true;
    try {
      const [info, pos] = await Promise.all([this.av('GetTransportInfo'), this.av('GetPositionInfo')]);
      this.failures = 0;
      if (this.cur === cur) this.apply(cur, readTransport(info, pos));
    } catch (err) {
      if (this.cur === cur) this.pollFailed(cur, err as Error);
    } finally {
      this.polling = false;
    }
    if (this.cur === cur) this.pollSoon(every);
  }

  private pollFailed(cur: Current, err: Error): void {
    // A renderer that answers with faults or garbage is there: say so and keep polling.
    if (err instanceof SoapFault || err instanceof BadSoapAnswer) return void this.opts.log?.('dlna poll refused', { id: this.id, reason: err.message });
    if (++this.failures < (this.opts.failuresBeforeGone ?? 3)) return;
    const reason = `${this.name} stopped answering: ${err.message}`;
    this.cur = undefined;
    cur.onReady?.(new Error(reason));
    this.set({ state: 'idle', position: this.now(), rate: 0 }, 'gone', reason);
    this.emit('gone', reason);
  }

  private apply(cur: Current, r: TransportReading): void {
    // gmediarender shows the next URI as soon as GStreamer's about-to-finish fires (the current
    // one fully read, seconds before its end): it has moved on when the position went back or the
    // current item's time is up.
    if (cur.next && r.trackUri === cur.next.url) {
      const at = this.now();
      const back = r.kind !== 'stopped' && r.position !== null && r.position < at - 3;
      if (back || (this.st.duration !== null && at >= this.st.duration - END_SLACK_S)) return this.movedOn(cur.next, r, back);
    }
    if (r.kind === 'stopped') return this.stopped(cur, r.error);
    if (r.kind === 'transitioning') {
      cur.transitioned = true;
      if (!cur.started) return;
    }
    cur.started = true;
    const state = r.kind === 'playing' ? 'playing' : r.kind === 'paused' ? 'paused' : 'buffering';
    const rate = state === 'playing' ? 1 : 0;
    const position = r.position ?? this.now();
    // Ours first: a renderer reports the last item's TrackDuration until it has read the new one.
    const duration = cur.req.duration ?? r.duration;
    const changed = state !== this.st.state || Math.abs(position - this.now()) > 0.75 || duration !== this.st.duration;
    if (changed) this.set({ state, position, rate, duration });
    else this.st = { ...this.st, position, at: Date.now() };
    if (state === 'playing' || cur.pausedByUs) cur.onReady?.();
  }

  /** The renderer went on to the preloaded item: the current one finished, the next one plays. */
  private movedOn(next: LoadRequest, r: TransportReading, positionIsNext: boolean): void {
    this.set({ state: 'idle', position: this.st.duration ?? this.now(), rate: 0, preloaded: next.url }, 'finished');
    this.cur = { req: next, started: true, since: Date.now(), pausedByUs: false, transitioned: true };
    const playing = r.kind === 'playing';
    const position = positionIsNext && r.kind !== 'stopped' && r.position !== null ? r.position : 0;
    const duration = next.duration ?? (r.kind !== 'stopped' ? r.duration : null);
    this.set({ state: playing ? 'playing' : 'buffering', position, rate: playing ? 1 : 0, duration });
  }

  private stopped(cur: Current, error: string | null): void {
    // A photo: a renderer whose player ends once the still is decoded (GStreamer's playbin reaches
    // EOS after its one frame: gmediarender goes STOPPED) keeps it on screen until told otherwise.
    if (!error && cur.req.metadata.kind === 'photo' && (cur.started || cur.transitioned)) return this.stillShown(cur);
    if (!cur.started) {
      const waited = Date.now() - cur.since;
      const title = cur.req.metadata.title;
      if (error) return this.fail(cur, `${this.name} could not play "${title}": ${error}`);
      if (cur.transitioned || waited > (this.opts.startTimeoutMs ?? 60_000)) return this.fail(cur, `${this.name} stopped before "${title}" started playing`);
      return; // not started yet
    }
    const why = error ? 'error' : endReason(this.now(), this.st.duration);
    this.cur = undefined;
    this.stopPolling();
    if (why === 'error') return this.set({ state: 'idle', position: this.now(), rate: 0 }, 'error', `${this.name} stopped "${cur.req.metadata.title}": ${error}`);
    this.set({ state: 'idle', position: why === 'finished' ? (this.st.duration ?? this.now()) : this.now(), rate: 0 }, why);
  }

  private stillShown(cur: Current): void {
    cur.started = true;
    if (this.st.state !== 'playing') this.set({ state: 'playing', position: 0, rate: 0, duration: null });
    cur.onReady?.();
  }

  private current(what: string): Current {
    if (!this.cur) throw new Error(`cannot ${what}: nothing is playing on ${this.name}`);
    return this.cur;
  }

  async play(): Promise<void> {
    const cur = this.current('resume');
    cur.pausedByUs = false;
    await this.av('Play', { Speed: 1 });
    this.set({ state: 'playing', position: this.now(), rate: 1 });
    this.pollSoon(200);
  }

  async pause(): Promise<void> {
    const cur = this.current('pause');
    cur.pausedByUs = true;
    await this.av('Pause');
    this.set({ state: 'paused', position: this.now(), rate: 0 });
    this.pollSoon(200);
  }

  async seek(seconds: number): Promise<void> {
    this.current('seek');
    const to = Math.max(0, this.st.duration ? Math.min(seconds, this.st.duration) : seconds);
    await this.av('Seek', { Unit: 'REL_TIME', Target: formatUpnpTime(to) });
    this.set({ position: to });
    this.pollSoon(300);
  }

  async stop(): Promise<void> {
    const had = this.cur !== undefined;
    this.drop();
    if (had && this.dev) await this.av('Stop');
    this.set({ state: 'idle', position: this.now(), rate: 0 }, 'stopped');
  }

  async setVolume(level: number): Promise<void> {
    const v = Math.round(Math.min(1, Math.max(0, level)) * 100);
    await this.connect();
    await this.rc('SetVolume', { Channel: 'Master', DesiredVolume: v });
    this.set({ volume: { ...this.st.volume, level: v / 100 }, position: this.now() });
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.connect();
    await this.rc('SetMute', { Channel: 'Master', DesiredMute: muted ? 1 : 0 });
    this.set({ volume: { ...this.st.volume, muted }, position: this.now() });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.drop();
    this.closed = true;
    this.gena?.close();
  }
}

export function connectReceiver(descriptor: ReceiverDescriptor, opts?: DlnaDriverOptions): Receiver {
  return new DlnaReceiver(descriptor, opts);
}
