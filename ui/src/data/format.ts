// Words and numbers as the remote shows them.
import type { SessionSnapshot, Video } from './types.js';

const DECISION: Record<NonNullable<SessionSnapshot['decision']>['kind'], string> = {
  direct: 'Direct play',
  remux: 'Remuxing',
  'audio-transcode': 'Transcoding audio',
  transcode: 'Transcoding',
  unplayable: 'Cannot play',
};

/** "Direct play", or "Transcoding: HEVC not supported by Chromecast (1st/2nd gen)". */
export function decisionText(d: SessionSnapshot['decision']): string | null {
  if (!d) return null;
  const label = DECISION[d.kind];
  return d.reasons.length ? `${label}: ${d.reasons.join('; ')}` : label;
}

// Height classes, largest first: a size is named by the first one it reaches.
const CLASSES: [height: number, label: string][] = [[4320, '8K'], [2160, '4K'], [1440, '1440p'], [1080, '1080p'], [720, '720p'], [576, '576p'], [480, '480p'], [360, '360p'], [240, '240p']];

/**
 * A video size by height class: 1920×1080 → "1080p", 640×360 → "360p", 3840×2160 → "4K". A class is
 * reached by its height or by its 16:9 width (a 1920×800 scope film is 1080p), with 10% to spare for
 * cropped edges; portrait videos count their short side. Below every class: "144p" and so on.
 */
export function resolutionLabel(v: Pick<Video, 'width' | 'height'>): string | null {
  if (!v.width || !v.height) return null;
  const short = Math.min(v.width, v.height);
  const long = Math.max(v.width, v.height);
  const hit = CLASSES.find(([h]) => short >= h * 0.9 || long >= ((h * 16) / 9) * 0.9);
  return hit ? hit[1] : `${short}p`;
}

export const stateText: Record<SessionSnapshot['state'], string> = {
  idle: 'Stopped',
  loading: 'Loading',
  buffering: 'Buffering',
  playing: 'Playing',
  paused: 'Paused',
};
