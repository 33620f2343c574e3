// One item as the software renderer plays it: the shared real-time player (receivers/shared/real-time-player.ts)
// read the way a TV with a small buffer reads — paced (bytes fetched as they are played; pause leaves the
// connection open and unread), and a seek fetches from the position (ffmpeg -ss over HTTP ranges).
import type { Profile } from '../../types.js';
import { RealTimePlayer, type PlayerOptions } from '../../shared/real-time-player.js';

export type { PlayerOptions, PlayerState } from '../../shared/real-time-player.js';

export const USER_AGENT = 'homecast-dlna-renderer/1.0 UPnP/1.0 DLNADOC/1.50';

export class RendererPlayer extends RealTimePlayer {
  constructor(url: string, profile: Profile, opts: PlayerOptions) {
    super(url, profile, opts, { userAgent: USER_AGENT, paced: true, seeksReader: () => true, durationSoFar: false });
  }
}
