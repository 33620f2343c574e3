// Side-loaded text tracks as the Default Media Receiver handles them. Only an active TEXT track is
// fetched, by an XHR from the receiver app's page: another origin than the media server, so the
// request carries an Origin and the answer needs Access-Control-Allow-Origin (Google Cast "Using
// Cross-Origin Resource Sharing", developers.google.com/cast/docs/player); a WebVTT body must
// start with its signature. EDIT_TRACKS_INFO follows cast.framework.messages.EditTracksInfoRequestData:
// `language` wins over `activeTrackIds` ([] = none active), which wins over `enableTextTracks`
// (false: no text track; true: the previous text tracks, else the first one).
import http from 'node:http';
import https from 'node:https';
import { CAST_USER_AGENT } from './probe.js';

/** Stands for the page the Default Media Receiver runs in; what matters is that it is not the media server's. */
export const RECEIVER_APP_ORIGIN = 'https://www.gstatic.com';
const MAX_BYTES = 10 << 20;
const FETCH_TIMEOUT_MS = 15_000;

export interface MediaTrack {
  trackId: number;
  type: string;
  trackContentId?: string;
  trackContentType?: string;
  language?: string;
}

/** The tracks a LOAD's media declares (entries without a numeric trackId are not tracks). */
export function mediaTracks(media: Record<string, unknown>): MediaTrack[] {
  const list = Array.isArray(media.tracks) ? (media.tracks as unknown[]) : [];
  return list.filter((t): t is MediaTrack => !!t && typeof t === 'object' && Number.isInteger((t as MediaTrack).trackId) && typeof (t as MediaTrack).type === 'string');
}

/** Ids in `ids` that name one of the tracks, in order, once each. */
export function knownTrackIds(tracks: MediaTrack[], ids: unknown): number[] {
  if (!Array.isArray(ids)) return [];
  return [...new Set(ids.filter((id): id is number => tracks.some((t) => t.trackId === id)))];
}

export const textTrackIds = (tracks: MediaTrack[], active: number[]): number[] => active.filter((id) => tracks.find((t) => t.trackId === id)?.type === 'TEXT');

const sameLanguage = (a: string, b: string): boolean => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x === y || x.startsWith(`${y}-`) || y.startsWith(`${x}-`);
};

/** The active track ids after an EDIT_TRACKS_INFO, or null when the request names what is not there. */
export function editTracks(tracks: MediaTrack[], active: number[], previousText: number[], req: Record<string, unknown>): number[] | null {
  const texts = tracks.filter((t) => t.type === 'TEXT');
  const others = active.filter((id) => !textTrackIds(tracks, [id]).length);
  if (typeof req.language === 'string') {
    const match = texts.find((t) => t.language && sameLanguage(t.language, req.language as string));
    return match ? [...others, match.trackId] : null;
  }
  if (req.activeTrackIds !== undefined) {
    const ids = req.activeTrackIds;
    if (!Array.isArray(ids)) return null;
    const known = knownTrackIds(tracks, ids);
    return known.length === ids.length ? known : null;
  }
  if (req.enableTextTracks === false) return others;
  if (req.enableTextTracks === true) {
    if (textTrackIds(tracks, active).length) return active;
    const back = previousText.length ? previousText : texts.slice(0, 1).map((t) => t.trackId);
    return [...others, ...back];
  }
  return active;
}

/** Fetches and parses one text track as the device would; resolves with its cue count. */
export async function fetchTextTrack(track: MediaTrack, signal: AbortSignal): Promise<number> {
  const url = track.trackContentId;
  if (!url || !/^https?:\/\//i.test(url)) throw new Error('the text track has no http(s) trackContentId');
  const body = await getText(url, AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]));
  const type = (track.trackContentType ?? '').toLowerCase();
  if (type.includes('ttml')) {
    if (!/<tt[\s>]/.test(body)) throw new Error('not TTML (no <tt> element)');
    return (body.match(/<p[\s>]/g) ?? []).length;
  }
  // WebVTT: "WEBVTT" after an optional BOM, then a space, tab or line end (W3C WebVTT §4.1).
  if (!/^\uFEFF?WEBVTT(?:[ \t]|\r?\n|$)/.test(body)) throw new Error('not WebVTT (no WEBVTT signature)');
  return body.split(/\r?\n/).filter((line) => line.includes('-->')).length;
}

function getText(url: string, signal: AbortSignal): Promise<string> {
  const get = url.toLowerCase().startsWith('https:') ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const req = get(url, {
      headers: { 'User-Agent': CAST_USER_AGENT, Origin: RECEIVER_APP_ORIGIN, Accept: '*/*' },
      agent: false,
      signal,
      rejectUnauthorized: false,
    }, (res) => {
      const status = res.statusCode ?? 0;
      const allowed = res.headers['access-control-allow-origin'];
      const fail = (why: string) => (res.destroy(), reject(new Error(why)));
      if (status < 200 || status >= 300) return fail(`HTTP ${status} from the text track URL`);
      if (allowed !== '*' && allowed !== RECEIVER_APP_ORIGIN) return fail('blocked by CORS: the answer has no Access-Control-Allow-Origin for the receiver app');
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) fail('the text track is larger than 10 MB');
        else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => reject(err));
    });
    req.on('error', (err) => reject(new Error(`cannot fetch the text track: ${err.message}`)));
  });
}
