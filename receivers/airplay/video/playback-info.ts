// What one `/playback-info` answer says, as a pure function (docs/protocols.md §4): an Apple TV answers
// with a duration while an item is loaded and without one before it has loaded and after it has
// gone (the end, or a stop on the TV). Rate 0 is a pause (ours, or from the TV's remote once it
// had played) unless the buffer is what holds it. `error` is the emulator's explicit failure.
export type InfoReading =
  | { kind: 'error'; error: string }
  | { kind: 'loaded'; state: 'playing' | 'paused' | 'buffering'; position: number; duration: number; rate: number }
  | { kind: 'not-loaded' };

export function readPlaybackInfo(info: Record<string, unknown>, ctx: { pausedByUs: boolean; hadPlayed: boolean }): InfoReading {
  const num = (k: string): number | undefined => (typeof info[k] === 'number' && Number.isFinite(info[k]) ? (info[k] as number) : undefined);
  if (typeof info.error === 'string' && info.error) return { kind: 'error', error: info.error };
  const duration = num('duration');
  if (duration === undefined || duration <= 0 || info.readyToPlay === false) return { kind: 'not-loaded' };
  const rate = Math.max(0, num('rate') ?? 0);
  const starved = info.playbackBufferEmpty === true || info.playbackLikelyToKeepUp === false;
  const state = rate > 0 ? 'playing' : ctx.pausedByUs || (ctx.hadPlayed && !starved) ? 'paused' : 'buffering';
  return { kind: 'loaded', state, position: Math.max(0, num('position') ?? 0), duration, rate };
}

/** A stop this close to the end (after the last poll, extrapolated) is the item ending. */
export const END_SLACK_S = 1.5;

/** Why an item that was loaded is not any more: it reached its end, or it was stopped on the TV. */
export function endReason(position: number, duration: number | null): 'finished' | 'interrupted' {
  return duration !== null && position >= duration - END_SLACK_S ? 'finished' : 'interrupted';
}
