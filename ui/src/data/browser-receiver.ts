// "This device": the page plays what is sent to it in its own <video> element (audio too), as a
// receiver of the server's (server/api/browser-players.ts): same queue, transport, volume and
// subtitles as a TV. It registers with what the browser plays (browser-support.ts) on every
// (re)connection, does the server's `device:command`s and reports what the element does. Video the
// browser cannot play comes as HLS: native where the browser has it, else hls.js, loaded only then.
// The element plays from the page's own origin, whatever address of ours the server's URLs name.
import type { BrowserCommandOf } from '../../../receivers/browser/commands.js';
import type { Remote } from './socket.js';
import { browserLanguages, browserSupport } from './browser-support.js';
import { devicePlayerId } from './device-player.js';

/** The fields of the server's LoadRequest (receivers/types.ts) the page reads. */
interface LoadRequest {
  url: string;
  contentType: string;
  metadata: { kind: 'audio' | 'video' | 'photo'; title: string };
  startAt: number;
  subtitles?: { url: string; language: string | null; name: string }[];
  activeSubtitle?: number;
}

type Command = BrowserCommandOf<LoadRequest>;

type State = 'idle' | 'loading' | 'buffering' | 'playing' | 'paused';
type HlsPlayer = { destroy(): void; loadSource(url: string): void; attachMedia(el: HTMLMediaElement): void };

/** Seconds between position reports while playing (the server interpolates in between). */
const REPORT_EVERY_MS = 5000;
/** How long a load waits for the element to start before answering anyway (its status tells the rest). */
const START_WAIT_MS = 10_000;

const sameOrigin = (url: string): string => {
  const u = new URL(url, location.href);
  return u.pathname + u.search;
};

export class BrowserReceiver {
  /** The server's id for this page's receiver, once registered. */
  id: string | null = null;
  readonly element: HTMLVideoElement;
  private hls: HlsPlayer | null = null;
  private idle: { reason: 'finished' | 'stopped' | 'error'; error?: string } | null = { reason: 'stopped' };
  private loading = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private listeners = new Set<() => void>();

  constructor(private remote: Remote, private box: HTMLElement) {
    this.element = document.createElement('video');
    this.element.playsInline = true;
    this.element.preload = 'auto';
    this.element.setAttribute('data-this-device', '');
    box.append(this.element);
    for (const e of ['playing', 'pause', 'waiting', 'seeked', 'volumechange', 'durationchange', 'loadedmetadata']) this.element.addEventListener(e, () => this.report());
    this.element.addEventListener('ended', () => {
      this.idle = { reason: 'finished' };
      this.box.hidden = true;
      this.report();
    });
    this.element.addEventListener('click', () => void this.element.requestFullscreen?.().catch(() => undefined));
    this.element.addEventListener('error', () => {
      if (!this.element.getAttribute('src') && !this.hls) return;
      this.idle = { reason: 'error', error: this.element.error?.message || 'this browser cannot play it' };
      this.report();
    });
    remote.socket.on('connect', () => void this.register());
    remote.socket.on('device:command', (cmd: Command, ack: (a: { ok: boolean; error?: string }) => void) => {
      this.run(cmd).then(() => ack({ ok: true }), (err: Error) => ack({ ok: false, error: err.message }));
    });
    if (remote.socket.connected) void this.register();
  }

  /** Calls `fn` whenever what shows changes (a video, or nothing). */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private async register(): Promise<void> {
    try {
      const r = await this.remote.command('device:register', { pageId: devicePlayerId(), support: browserSupport(this.element), languages: browserLanguages() });
      this.id = r.id;
      this.report();
      for (const fn of this.listeners) fn();
    } catch {
      /* the next connection registers again */
    }
  }

  private async run(cmd: Command): Promise<void> {
    const el = this.element;
    switch (cmd.op) {
      case 'load':
        return this.load(cmd.req);
      case 'play':
        this.idle = null;
        return el.play();
      case 'pause':
        return el.pause();
      case 'stop':
        this.unload();
        this.idle = { reason: 'stopped' };
        return this.report();
      case 'seek':
        el.currentTime = cmd.position;
        return;
      case 'volume':
        el.volume = cmd.level;
        return;
      case 'mute':
        el.muted = cmd.muted;
        return;
      case 'subtitle':
        return this.showSubtitle(cmd.index);
    }
  }

  private unload(): void {
    this.hls?.destroy();
    this.hls = null;
    this.element.pause();
    this.element.removeAttribute('src');
    this.element.replaceChildren();
    this.element.load();
    this.box.hidden = true;
    for (const fn of this.listeners) fn();
  }

  private async load(req: LoadRequest): Promise<void> {
    this.loading = true;
    this.unload();
    this.idle = null;
    const el = this.element;
    const url = sameOrigin(req.url);
    for (const [n, sub] of (req.subtitles ?? []).entries()) {
      const track = document.createElement('track');
      track.kind = 'subtitles';
      track.label = sub.name;
      if (sub.language) track.srclang = sub.language;
      track.src = sameOrigin(sub.url);
      track.default = n === req.activeSubtitle;
      el.append(track);
    }
    this.box.hidden = req.metadata.kind !== 'video';
    for (const fn of this.listeners) fn();
    const hls = req.contentType === 'application/vnd.apple.mpegurl' || req.contentType === 'application/x-mpegURL';
    // hls.js wherever Media Source Extensions are (Chromium's own new HLS player is a 'maybe'),
    // the browser's own HLS where they are not (Safari on iPhone).
    if (hls && typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"')) {
      // Loaded on first use: most of what plays here needs no HLS. The light build: no EME, no in-playlist subtitles (ours are side files).
      const { default: Hls } = await import('hls.js/light');
      const player = new Hls({ startPosition: req.startAt });
      this.hls = player;
      player.attachMedia(el);
      player.loadSource(url);
    } else {
      el.src = url;
      if (req.startAt > 0) el.addEventListener('loadedmetadata', () => (el.currentTime = req.startAt), { once: true });
    }
    this.showSubtitle(req.activeSubtitle ?? null);
    this.loading = false;
    this.report();
    const started = el.play().then(() => undefined, (err: Error) => {
      if (err.name === 'AbortError') return; // replaced by a newer load
      this.idle = { reason: 'error', error: err.name === 'NotAllowedError' ? 'the browser blocked playing: tap play here' : err.message };
      this.report();
      throw new Error(this.idle.error);
    });
    await Promise.race([started, new Promise((resolve) => setTimeout(resolve, START_WAIT_MS))]);
  }

  private showSubtitle(index: number | null): void {
    const tracks = this.element.textTracks;
    for (let i = 0; i < tracks.length; i++) tracks[i]!.mode = i === index ? 'showing' : 'disabled';
  }

  private state(): State {
    const el = this.element;
    if (this.idle) return 'idle';
    if (this.loading || el.readyState < 1) return 'loading';
    if (el.paused) return 'paused';
    return el.readyState < 3 ? 'buffering' : 'playing';
  }

  /** Tells the server what the element does now. */
  private report(): void {
    if (!this.id || !this.remote.socket.connected) return;
    const el = this.element;
    const state = this.state();
    clearInterval(this.timer);
    if (state === 'playing') this.timer = setInterval(() => this.report(), REPORT_EVERY_MS);
    const duration = Number.isFinite(el.duration) ? el.duration : null;
    this.remote.socket.emit('device:status', {
      receiver: this.id,
      state,
      position: Math.max(0, el.currentTime || 0),
      duration,
      volume: { level: el.volume, muted: el.muted },
      ...(this.idle ? { idleReason: this.idle.reason } : {}),
      ...(this.idle?.error ? { error: this.idle.error.slice(0, 500) } : {}),
    });
  }
}
