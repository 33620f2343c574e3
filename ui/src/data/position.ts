// Where playback is now, from the last snapshot: the server sends a position with the time it
// was true and a rate, so every remote moves its progress bar without being sent ticks.
import type { SessionSnapshot } from './types.js';

export function positionNow(s: Pick<SessionSnapshot, 'state' | 'position' | 'at' | 'rate' | 'duration'>, now: number): number {
  const moving = s.state === 'playing' && s.rate > 0;
  const p = moving ? s.position + (s.rate * Math.max(0, now - s.at)) / 1000 : s.position;
  const capped = s.duration !== null && s.duration > 0 ? Math.min(p, s.duration) : p;
  return Math.max(0, capped);
}

/** 75 → "1:15"; 3725 → "1:02:05". */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–:––';
  const t = Math.max(0, Math.floor(seconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
