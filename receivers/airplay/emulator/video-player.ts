// One item as the emulated Apple TV plays it: the shared real-time player (receivers/shared/real-time-player.ts)
// read the way AVPlayer reads — ahead as fast as the server sends (a large buffer), a file or live stream
// from its start whatever the position, an HLS playlist from the start position and again at each scrub
// (it fetches the segment there: 'reading' once media from there arrived) — and an untimed stream's
// duration is as far as has been read, as AVPlayer learns it.
import type { Profile } from '../../types.js';
import { RealTimePlayer, type PlayerOptions, type StartAt } from '../../shared/real-time-player.js';

export type { PlayerOptions, PlayerState } from '../../shared/real-time-player.js';

/** AVPlayer's user agent on tvOS, so the server's log shows an Apple TV. */
export const APPLE_TV_USER_AGENT = 'AppleCoreMedia/1.0.0.12B435 (Apple TV; U; CPU OS 8_1 like Mac OS X; en_us)';

export class VideoPlayer extends RealTimePlayer {
  constructor(url: string, start: StartAt, profile: Profile, opts: PlayerOptions) {
    super(url, profile, opts, { userAgent: APPLE_TV_USER_AGENT, paced: false, seeksReader: (p) => p.container === 'hls', durationSoFar: true }, start);
  }

  setRate(r: number): void {
    if (r > 0) this.resume();
    else this.pause();
  }
}
