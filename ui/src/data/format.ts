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

/** 1920×1080 → "1080p", 3840×2160 → "4K", odd sizes as they are. */
export function resolutionLabel(v: Pick<Video, 'width' | 'height'>): string | null {
  if (!v.width || !v.height) return null;
  const short = Math.min(v.width, v.height);
  const long = Math.max(v.width, v.height);
  if (long >= 3800) return '4K';
  for (const p of [2160, 1440, 1080, 720, 576, 480]) if (short === p || (long === (p * 16) / 9 && short <= p)) return `${p}p`;
  return `${v.width}×${v.height}`;
}

export const stateText: Record<SessionSnapshot['state'], string> = {
  idle: 'Stopped',
  loading: 'Loading',
  buffering: 'Buffering',
  playing: 'Playing',
  paused: 'Paused',
};
