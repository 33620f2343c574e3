// MEDIA_STATUS / RECEIVER_STATUS → ReceiverStatus, pure (the clock is an argument).
// Facts (docs/protocols.md §1): `status` is a list, `[]` when nothing is loaded; real devices send
// `media` (with its duration) only when it changes, so a status without it keeps what the same
// mediaSessionId had. Volume is read from RECEIVER_STATUS only: MEDIA_STATUS carries the stream
// volume, which stays 1 on real devices while we set the device's.
import type { IdleReason, PlayerState, ReceiverStatus } from '../../types.js';

/** What the driver remembers besides the status: the media session commands must name. */
export interface Tracked {
  status: ReceiverStatus;
  mediaSessionId: number | null;
  /** The media session's supportedMediaCommands bits, as it last reported them. */
  commands?: number;
}

export const IDLE_REASONS: Record<string, IdleReason> = {
  FINISHED: 'finished',
  CANCELLED: 'stopped',
  INTERRUPTED: 'interrupted',
  ERROR: 'error',
};

const STATES: Record<string, PlayerState> = {
  IDLE: 'idle',
  LOADING: 'loading',
  BUFFERING: 'buffering',
  PLAYING: 'playing',
  PAUSED: 'paused',
};

/** A position within this much of the end counts as the end (devices stop a little short). */
const END_SLACK_S = 2;

export function initialStatus(now: number): ReceiverStatus {
  return { state: 'idle', position: 0, at: now, rate: 0, duration: null, volume: { level: 1, muted: false } };
}

/** Where the item is at `now`, interpolated from the last report. */
export function positionAt(s: ReceiverStatus, now: number): number {
  const p = s.position + (s.rate * Math.max(0, now - s.at)) / 1000;
  return s.duration !== null ? Math.min(p, s.duration) : p;
}

type Entry = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Applies a MEDIA_STATUS `status` list. Entries older than the session we track (or the one a
 * LOAD in flight replaces, `superseded`) are dropped: their IDLE/INTERRUPTED is our own doing.
 * Returns `prev` itself when nothing applied.
 */
export function applyMediaStatus(prev: Tracked, list: unknown, now: number, opts: { superseded?: number | null; fresh?: boolean } = {}): Tracked {
  if (!Array.isArray(list)) return prev;
  const entries = list.filter((e): e is Entry => !!e && typeof e === 'object' && num((e as Entry).mediaSessionId) !== null);
  if (entries.length === 0) return list.length === 0 ? nothingLoaded(prev, now) : prev;
  const current = prev.mediaSessionId;
  const entry = entries.find((e) => e.mediaSessionId === current) ?? entries.reduce((a, b) => ((b.mediaSessionId as number) > (a.mediaSessionId as number) ? b : a));
  const id = entry.mediaSessionId as number;
  if (id === opts.superseded) return prev;
  if (!opts.fresh && current !== null && id < current) return prev;
  const state = STATES[String(entry.playerState)];
  if (!state) return prev;
  const media = entry.media as Entry | undefined;
  const sameItem = id === current;
  const wireDuration = media && 'duration' in media ? num(media.duration) : undefined;
  const duration = wireDuration === undefined ? (sameItem ? prev.status.duration : null) : wireDuration !== null && wireDuration > 0 ? wireDuration : null;
  const rate = state === 'playing' ? (num(entry.playbackRate) ?? 1) || 1 : 0;
  const status: ReceiverStatus = {
    state,
    position: Math.max(0, num(entry.currentTime) ?? (sameItem ? positionAt(prev.status, now) : 0)),
    at: now,
    rate,
    duration,
    volume: prev.status.volume,
  };
  if (state === 'idle') {
    const reason = IDLE_REASONS[String(entry.idleReason)];
    if (reason) status.idleReason = reason;
    if (reason === 'error') status.error = sameItem && prev.status.error ? prev.status.error : 'the device reported a playback error';
  }
  const commands = num(entry.supportedMediaCommands) ?? (sameItem ? prev.commands : undefined);
  return { status, mediaSessionId: id, ...(commands !== undefined ? { commands } : {}) };
}

/** `status: []`: nothing loaded. If we thought something was, it ended while we did not hear. */
function nothingLoaded(prev: Tracked, now: number): Tracked {
  if (prev.status.state === 'idle') return prev.mediaSessionId === null ? prev : { ...prev, mediaSessionId: null };
  return { status: mediaLost(prev.status, now), mediaSessionId: null };
}

/**
 * The media session vanished without an IDLE we heard (app closed, status emptied while we were
 * reconnecting). Near its end it most likely finished; otherwise something else interrupted it.
 */
export function mediaLost(prev: ReceiverStatus, now: number): ReceiverStatus {
  if (prev.state === 'idle') return prev;
  const position = positionAt(prev, now);
  const finished = prev.duration !== null && position >= prev.duration - END_SLACK_S;
  return { ...prev, state: 'idle', position, at: now, rate: 0, idleReason: finished ? 'finished' : 'interrupted' };
}

/** Applies a RECEIVER_STATUS `status` object: the device volume. */
export function applyReceiverStatus(prev: ReceiverStatus, status: unknown): ReceiverStatus {
  const v = (status as { volume?: { level?: unknown; muted?: unknown } } | undefined)?.volume;
  if (!v) return prev;
  const level = num(v.level) ?? prev.volume.level;
  const muted = typeof v.muted === 'boolean' ? v.muted : prev.volume.muted;
  if (level === prev.volume.level && muted === prev.volume.muted) return prev;
  return { ...prev, volume: { level, muted } };
}

/** The last status once the device is gone for good. */
export function goneStatus(prev: ReceiverStatus, now: number, error: string): ReceiverStatus {
  return { ...prev, state: 'idle', position: positionAt(prev, now), at: now, rate: 0, idleReason: 'gone', error };
}

/** Worth an event: anything but a position report that interpolation already predicted. */
export function changed(a: ReceiverStatus, b: ReceiverStatus): boolean {
  return a.state !== b.state || a.rate !== b.rate || a.duration !== b.duration || a.idleReason !== b.idleReason || a.error !== b.error
    || a.volume.level !== b.volume.level || a.volume.muted !== b.volume.muted || Math.abs(positionAt(a, b.at) - b.position) > 0.25;
}
