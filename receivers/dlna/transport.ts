// What GetTransportInfo + GetPositionInfo say, as a pure reading (AVTransport:1 §2.2.1–2.2.6):
// the transport state, where the track is, and which URI it plays (a change to the one given with
// SetNextAVTransportURI is a gapless move on).
import { parseUpnpTime } from './time.js';

export type TransportReading =
  | { kind: 'playing' | 'paused' | 'transitioning'; position: number | null; duration: number | null; trackUri: string | null }
  | { kind: 'stopped'; error: string | null; trackUri: string | null };

export function readTransport(info: Record<string, string>, pos: Record<string, string>): TransportReading {
  const state = (info.CurrentTransportState ?? '').trim().toUpperCase();
  const trackUri = pos.TrackURI?.trim() || null;
  const position = parseUpnpTime(pos.RelTime);
  const d = parseUpnpTime(pos.TrackDuration);
  const duration = d !== null && d > 0 ? d : null;
  if (state === 'PLAYING') return { kind: 'playing', position, duration, trackUri };
  if (state === 'PAUSED_PLAYBACK' || state === 'PAUSED_RECORDING') return { kind: 'paused', position, duration, trackUri };
  if (state === 'TRANSITIONING') return { kind: 'transitioning', position, duration, trackUri };
  const status = (info.CurrentTransportStatus ?? '').trim().toUpperCase();
  return { kind: 'stopped', error: status === 'ERROR_OCCURRED' ? 'the renderer reported ERROR_OCCURRED' : null, trackUri };
}

/** A stop this close to the end (extrapolated from the last poll) is the item ending. */
export const END_SLACK_S = 2;

export function endReason(position: number, duration: number | null): 'finished' | 'interrupted' {
  return duration !== null && position >= duration - END_SLACK_S ? 'finished' : 'interrupted';
}
