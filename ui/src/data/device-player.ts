// "Play on this device": the browser holding the remote becomes a Sendspin player (issue 16), so it
// can be played to alone or be a member of a group, in sync with the speakers. The player library
// (@sendspin/sendspin-js) is imported only when switched on, so the remote's main bundle does not
// carry it. It connects to the server's same-origin `/sendspin` WebSocket (wss: on https pages)
// with a player id kept in this browser, so the server knows it again: receiver `sendspin:<id>`.
import type { ControllerCommand, SendspinPlayer } from '@sendspin/sendspin-js';

export type DevicePlayerStatus = 'off' | 'starting' | 'connected' | 'reconnecting' | 'error';

export interface DevicePlayerState {
  status: DevicePlayerStatus;
  /** Its clock is synchronized with the server's (Sendspin time exchange). */
  synced: boolean;
  /** Playing a stream now. */
  playing: boolean;
  /** What the browser says its audio output adds (AudioContext baseLatency + outputLatency), ms. */
  outputLatencyMs: number | null;
  /** Why it is not connected, when status is 'error'. */
  error: string | null;
}

const ID_KEY = 'homecast.devicePlayer.id';
/** Where the library (3.2.1, core/static-delay-store.js) keeps a static delay the server commanded. */
const STATIC_DELAY_KEY = 'sendspin-static-delay-ms';
/** The slack @sendspin/sendspin-js 3.2.1 adds to every chunk (audio/scheduler.js SCHEDULE_HEADROOM_SEC). */
const LIBRARY_HEADROOM_SEC = 0.2;
const OFF: DevicePlayerState = { status: 'off', synced: false, playing: false, outputLatencyMs: null, error: null };

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* private mode: lasts this visit */
  }
}

/** A stable id for this browser (crypto.randomUUID needs a secure context; a LAN http page is not one). */
export function devicePlayerId(): string {
  let id = stored(ID_KEY);
  if (!id || !/^[0-9a-f]{32}$/.test(id)) {
    id = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    store(ID_KEY, id);
  }
  return id;
}

/** A name a person recognizes in the receiver list: "Chrome on Android", "Safari on iPhone"… */
export function deviceName(ua = navigator.userAgent): string {
  const os = /iPhone/.test(ua) ? 'iPhone' : /iPad/.test(ua) ? 'iPad' : /Android/.test(ua) ? 'Android' : /Mac OS X/.test(ua) ? 'Mac' : /Windows/.test(ua) ? 'Windows' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : 'this device';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  return `${browser} on ${os}`;
}

interface TimingSnapshot {
  audioContextTimeSec: number;
  audioContextRawTimeSec: number;
  nowMs: number;
  nowUs: number;
}

/** What of the library's scheduler (audio/clock-source.js, 3.2.1) the correction below replaces. */
interface LibraryClock {
  getTimingSnapshot(ctx: AudioContext | null): TimingSnapshot;
  disableTimestampPromotion(): void;
}

/**
 * The AudioContext time being heard at `nowMs` (performance.now()): getOutputTimestamp() pairs a
 * context time with the performance.now() it is heard at, which Chromium on Linux (and with large
 * output buffers elsewhere) puts in the FUTURE, so the offset is signed. Without a usable stamp:
 * the render clock less the latency the browser reports.
 */
export function playoutTimeSec(ctx: AudioContext, nowMs: number, renderTimeSec: number): number {
  const guess = renderTimeSec - ((ctx.baseLatency ?? 0) + (ctx.outputLatency ?? 0));
  const ts = typeof ctx.getOutputTimestamp === 'function' ? ctx.getOutputTimestamp() : undefined;
  if (!ts?.contextTime || !ts.performanceTime) return guess;
  const heard = ts.contextTime + (nowMs - ts.performanceTime) / 1000;
  return Math.abs(heard - guess) < 0.25 ? heard : guess;
}

/**
 * @sendspin/sendspin-js 3.2.1 schedules on one of two clocks, neither right (measured in Chromium
 * into a recorded sink, test/integration/receivers/sendspin/browser-sync.test.ts):
 * - "estimated", currentTime less its smoothed baseLatency + outputLatency: currentTime moves in
 *   steps of the output buffer, and the latency Chromium reports (175 ms with 2048-frame buffers on
 *   PulseAudio) is ~25 ms more than currentTime is ahead of what is heard, so it played 20–30 ms
 *   early, a different amount per stream, drifting as the smoothing moved;
 * - "timestamp", from getOutputTimestamp(): already the heard clock, yet the latency is subtracted
 *   again (−43 ms with 512-frame buffers); and it rejects every stamp whose performanceTime is in
 *   the future, which is all of them on Linux with 2048-frame buffers, so it never gets there.
 * Its upstream fixed the double subtraction (Sendspin/sendspin-js 1e8f4d4, "Remove a fixed 200ms
 * delay from audio scheduling", in 4.0.0, not yet on npm). Here the scheduler reads the heard
 * clock (playoutTimeSec) with latency compensation off, less the library's 200 ms headroom, so a
 * chunk starts where it is heard at its server time and the static delay means what the protocol
 * says (0 by default, not the library's per-platform 150–250 ms that only cancelled its headroom).
 * Returns false (the library's own timing stays) if this version of the library is not shaped so.
 */
function scheduleOnHeardClock(player: SendspinPlayer): boolean {
  const clock = (player as unknown as { scheduler?: { clockSource?: Partial<LibraryClock> } }).scheduler?.clockSource;
  if (typeof clock?.getTimingSnapshot !== 'function' || typeof clock.disableTimestampPromotion !== 'function') return false;
  const library = clock.getTimingSnapshot.bind(clock);
  // Its own timestamp clock would only trigger a reschedule when promoted: ours is that clock already.
  clock.disableTimestampPromotion();
  clock.getTimingSnapshot = (ctx) => {
    const snap = library(ctx);
    if (!ctx) return snap;
    return { ...snap, audioContextTimeSec: playoutTimeSec(ctx, snap.nowMs, snap.audioContextTimeSec) - LIBRARY_HEADROOM_SEC };
  };
  return true;
}

/**
 * @sendspin/sendspin-js 3.2.1 (audio/scheduler.js initAudioContext) opens its AudioContext at the
 * stream's sample rate, or at 48 kHz when there is no stream yet, as when unlock() runs in the
 * switch's tap. When that is not the output device's rate, Chromium resamples the context's output
 * and its getOutputTimestamp() no longer follows what is heard: on a 44.1 kHz output, a 48 kHz
 * context's stamps fell behind the recorded sound by 0.4–0.5 ms/s (and it glitched more under
 * load), so a player holding to those stamps drifted 20 ms late in 40 s; a context at the
 * output's own rate kept its stamps within 1 ms of the sound for 90 s
 * (test/integration/receivers/sendspin/browser-sync.test.ts). So the context is opened at the
 * device's rate (no sampleRate: the browser's default is its output's), and the library's buffer
 * sources resample each chunk instead, which moves no clock.
 * Returns false (the library's own context stays) if this version of the library is not shaped so.
 */
function contextAtDeviceRate(player: SendspinPlayer): boolean {
  const scheduler = (player as unknown as { scheduler?: { initAudioContext?: () => void } }).scheduler;
  const init = scheduler?.initAudioContext;
  if (!scheduler || typeof init !== 'function' || typeof AudioContext !== 'function') return false;
  scheduler.initAudioContext = () => {
    const Native = globalThis.AudioContext;
    // Only for the library's one synchronous construction, then the browser's own again.
    globalThis.AudioContext = class extends Native {
      constructor(options: AudioContextOptions = {}) {
        const { sampleRate: _ignored, ...rest } = options;
        super(rest);
      }
    };
    try {
      init.call(scheduler);
    } finally {
      globalThis.AudioContext = Native;
    }
  };
  return true;
}

/**
 * 10 s of near-silence (±1 of 16 bits, 8 kHz mono WAV). Looped by an <audio> element that plays
 * while the session this device plays in plays and pauses when it pauses, it holds the browser's
 * media session: a desktop browser keeps no lock-screen or media-key controls for Web Audio alone
 * once it pauses (Chromium's MPRIS player went "Stopped", its buttons with it), and shows a paused
 * element as paused, with a play button. The library does the same on Android (its
 * SILENT_AUDIO_SRC, not exported).
 */
function nearSilence(): Blob {
  const rate = 8000;
  const n = rate * 10;
  const v = new DataView(new ArrayBuffer(44 + 2 * n));
  const text = (at: number, t: string) => [...t].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + 2 * n, true);
  text(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, 2 * rate, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, 2 * n, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + 2 * i, i % 2 ? 1 : -1, true);
  return new Blob([v.buffer], { type: 'audio/wav' });
}

export class DevicePlayer {
  private player: SendspinPlayer | null = null;
  private keepAlive: HTMLAudioElement | null = null;
  private sessionPlaying = false;
  private current: DevicePlayerState = OFF;
  private readonly listeners = new Set<(s: DevicePlayerState) => void>();
  private poll = 0;

  get state(): DevicePlayerState {
    return this.current;
  }

  /** The receiver id the server lists this browser under once it is connected. */
  get receiverId(): string {
    return `sendspin:${devicePlayerId()}`;
  }

  subscribe(fn: (s: DevicePlayerState) => void): () => void {
    this.listeners.add(fn);
    fn(this.current);
    return () => this.listeners.delete(fn);
  }

  /**
   * Call from the tap that switches it on. The library is loaded first (a few KB from this
   * server); the tap's user activation lasts seconds, so unlock() right after the import still
   * counts as in the gesture, and it is the first thing done with the player.
   */
  async switchOn(): Promise<void> {
    if (this.player) return;
    this.set({ ...OFF, status: 'starting' });
    try {
      const { SendspinPlayer } = await import('@sendspin/sendspin-js');
      if (this.current.status !== 'starting') return; // switched off while it loaded
      const player: SendspinPlayer = new SendspinPlayer({
        playerId: devicePlayerId(),
        // The library turns this into ws(s)://<this host>/sendspin by the page's protocol.
        baseUrl: new URL('/sendspin', location.href).href,
        clientName: deviceName(),
        // scheduleOnHeardClock: the clock it schedules on is the heard one, and the delay a real one.
        useOutputLatencyCompensation: false,
        syncDelay: Number(stored(STATIC_DELAY_KEY) ?? 0) || 0,
        onStateChange: (s) => this.player === player && this.set({ ...this.current, playing: s.isPlaying }),
        reconnect: {
          onReconnecting: () => this.player === player && this.set({ ...this.current, status: 'reconnecting', synced: false }),
          onReconnected: () => this.player === player && this.set({ ...this.current, status: 'connected', error: null }),
          onExhausted: () => this.player === player && this.set({ ...this.current, status: 'error', error: 'The server cannot be reached' }),
        },
      });
      this.player = player;
      const atDeviceRate = contextAtDeviceRate(player);
      if (!scheduleOnHeardClock(player) || !atDeviceRate) console.warn('Device player: @sendspin/sendspin-js is not 3.2.x; its own timing is used');
      await player.unlock();
      // Still in the tap's activation. Where the library outputs through Web Audio alone (desktops):
      // on Android and iOS it holds the media session with an element of its own.
      if ((player as unknown as { scheduler?: { outputMode?: string } }).scheduler?.outputMode === 'direct') this.holdMediaSession();
      // Sync and latency are properties the library updates as it goes: read them while on.
      this.poll = window.setInterval(() => this.refresh(), 1000);
      try {
        await player.connect();
        if (this.player === player) this.set({ ...this.current, status: 'connected', error: null });
      } catch {
        // The library retries by itself (1 s doubling to 15 s); say so and let it.
        if (this.player === player) this.set({ ...this.current, status: 'reconnecting', error: 'The server does not answer' });
      }
      this.refresh();
    } catch (err) {
      // No library (a failed load) or no audio (unlock refused): nothing to retry.
      this.stop();
      this.set({ ...OFF, status: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }

  switchOff(): void {
    this.stop();
    this.set(OFF);
  }

  /** Connected to the server: lock-screen buttons go to what this device plays, as Sendspin commands. */
  get controlling(): boolean {
    return this.player?.isConnected === true;
  }

  command(c: Extract<ControllerCommand, 'play' | 'pause' | 'next' | 'previous' | 'stop'>): void {
    this.player?.sendCommand(c, undefined);
  }

  private holdMediaSession(): void {
    const a = new Audio(URL.createObjectURL(nearSilence()));
    a.loop = true;
    this.keepAlive = a;
    // Played once in the tap, so later plays (from the lock screen) are allowed too.
    void a.play().then(() => this.showSession(this.sessionPlaying), () => undefined);
  }

  /** Whether the session this device plays in is playing: what its lock-screen controls show. */
  showSession(playing: boolean): void {
    this.sessionPlaying = playing;
    const a = this.keepAlive;
    if (!a) return;
    if (playing && a.paused) void a.play().catch(() => undefined);
    else if (!playing && !a.paused) a.pause();
  }

  private stop(): void {
    clearInterval(this.poll);
    if (this.keepAlive) {
      this.keepAlive.pause();
      URL.revokeObjectURL(this.keepAlive.src);
      this.keepAlive = null;
    }
    const p = this.player;
    this.player = null;
    p?.disconnect('user_request');
  }

  private refresh(): void {
    const p = this.player;
    if (!p) return;
    const latency = p.syncInfo.outputLatencyMs;
    this.set({
      ...this.current,
      status: p.isConnected ? 'connected' : this.current.status === 'connected' ? 'reconnecting' : this.current.status,
      synced: p.isConnected && p.timeSyncInfo.synced,
      playing: p.isPlaying,
      outputLatencyMs: latency > 0 ? Math.round(latency) : null,
    });
  }

  private set(s: DevicePlayerState): void {
    const c = this.current;
    if (c.status === s.status && c.synced === s.synced && c.playing === s.playing && c.outputLatencyMs === s.outputLatencyMs && c.error === s.error) return;
    this.current = s;
    for (const fn of this.listeners) fn(s);
  }
}

/** The one device player of this page (the switch and the lock-screen controls share it). */
export const devicePlayer = new DevicePlayer();
