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

export class DevicePlayer {
  private player: SendspinPlayer | null = null;
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
        onStateChange: (s) => this.player === player && this.set({ ...this.current, playing: s.isPlaying }),
        reconnect: {
          onReconnecting: () => this.player === player && this.set({ ...this.current, status: 'reconnecting', synced: false }),
          onReconnected: () => this.player === player && this.set({ ...this.current, status: 'connected', error: null }),
          onExhausted: () => this.player === player && this.set({ ...this.current, status: 'error', error: 'The server cannot be reached' }),
        },
      });
      this.player = player;
      await player.unlock();
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

  private stop(): void {
    clearInterval(this.poll);
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
