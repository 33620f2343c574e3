// Our requests → the Default Media Receiver's media namespace (docs/protocols.md §1), and its answers
// to LOAD → an outcome with a human reason. Pure; the session sends what these build.
import type { LoadRequest, MediaMetadata } from '../../types.js';
import type { Json } from './session.js';

/** chrome.cast.media.MetadataType */
const GENERIC = 0;
const MOVIE = 1;
const MUSIC_TRACK = 3;
const PHOTO = 4;

/** Drops undefined fields: a device's JSON parser may take `null` for a value. */
function defined(o: Record<string, unknown>): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function castMetadata(m: MediaMetadata): Json {
  const images = m.artUrl ? [{ url: m.artUrl }] : undefined;
  if (m.kind === 'photo') return defined({ metadataType: PHOTO, title: m.title, artist: m.artist });
  if (m.kind === 'video') return defined({ metadataType: MOVIE, title: m.title, subtitle: m.artist, images });
  // A track with nothing but a title (a bare WAV) reads better in the generic layout.
  if (!m.artist && !m.album && !m.albumArtist) return defined({ metadataType: GENERIC, title: m.title, images });
  return defined({
    metadataType: MUSIC_TRACK, title: m.title, artist: m.artist, albumName: m.album, albumArtist: m.albumArtist, trackNumber: m.trackNo, images,
  });
}

export function loadMessage(req: LoadRequest): Json {
  const tracks = (req.subtitles ?? []).map((s, i) => defined({
    trackId: i + 1, type: 'TEXT', subtype: 'SUBTITLES', trackContentId: s.url, trackContentType: s.contentType, language: s.language ?? undefined, name: s.name,
  }));
  // A live transcode of a file whose duration we know still plays as BUFFERED on a Cast device;
  // LIVE (no duration, no seek bar) only when nobody knows how long it is.
  const streamType = req.duration === null ? 'LIVE' : 'BUFFERED';
  return {
    type: 'LOAD',
    media: defined({
      contentId: req.url, contentType: req.contentType, streamType, duration: req.duration ?? undefined, metadata: castMetadata(req.metadata),
      tracks: tracks.length ? tracks : undefined,
    }),
    autoplay: true,
    currentTime: req.startAt,
    activeTrackIds: textTrackIds(req.activeSubtitle ?? null, tracks.length),
    repeatMode: 'REPEAT_OFF',
  };
}

/** Our text track n is trackId n + 1; none active is `[]`. */
function textTrackIds(index: number | null, count: number): number[] {
  return index !== null && index >= 0 && index < count ? [index + 1] : [];
}

/** Shows text track `index` of the loaded media (null: none), in place (EDIT_TRACKS_INFO, as pychromecast's enable_subtitle). */
export function editTracksMessage(mediaSessionId: number, index: number | null): Json {
  return { type: 'EDIT_TRACKS_INFO', mediaSessionId, activeTrackIds: index === null ? [] : [index + 1] };
}

/** supportedMediaCommands bit: the device changes active tracks in place. */
export const EDIT_TRACKS = 4096;

export type LoadOutcome = { ok: true; status: unknown } | { ok: false; error: string };

/** A LOAD reply → its status list, or why it failed, naming the device. */
export function loadOutcome(reply: Json, device: string): LoadOutcome {
  switch (reply.type) {
    case 'MEDIA_STATUS':
      return { ok: true, status: reply.status };
    case 'LOAD_FAILED': {
      const reason = (reply.customData as { reason?: unknown } | undefined)?.reason;
      const code = typeof reply.detailedErrorCode === 'number' ? `code ${reply.detailedErrorCode}` : undefined;
      const detail = typeof reason === 'string' && reason ? reason : code;
      return { ok: false, error: `${device} refused the media (LOAD_FAILED${detail ? `: ${detail}` : ''})` };
    }
    case 'LOAD_CANCELLED':
      return { ok: false, error: `${device} cancelled the load (another one replaced it)` };
    case 'INVALID_REQUEST':
      return { ok: false, error: `${device} rejected the load (${String(reply.reason ?? 'INVALID_REQUEST')})` };
    default:
      return { ok: false, error: `${device} answered the load with ${String(reply.type)}` };
  }
}

/** PLAY / PAUSE / STOP / SEEK for the media session the device gave us. */
export function sessionCommand(type: 'PLAY' | 'PAUSE' | 'STOP' | 'SEEK', mediaSessionId: number, seconds?: number): Json {
  return type === 'SEEK' ? { type, mediaSessionId, currentTime: Math.max(0, seconds ?? 0) } : { type, mediaSessionId };
}
