// What a speaker's display shows beside the audio: track info, cover art fetched from the item's
// art URL, and the progress triple, sent by SET_PARAMETER. shairport-sync 3.3.8 passes art on as-is (rtsp.c: "the image/type tag
// isn't reliable ... look at the first few bytes"), so we send only what the bytes say is JPEG or
// PNG, and progress is `start/curr/end` in the stream's RTP timestamps (44.1 kHz, wrapping at 2^32).
import type { MediaMetadata } from '../../types.js';
import { SAMPLE_RATE, wrap32 } from './clock.js';
import type { RtspClient } from './rtsp.js';

export type ArtworkType = 'image/jpeg' | 'image/png';
export type Artwork = { type: ArtworkType; data: Buffer } | { skipped: string };

/** JPEG (FF D8 FF) or PNG (89 'PNG' 0D 0A 1A 0A) by the bytes, else undefined. */
export function imageType(b: Buffer): ArtworkType | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

/** Large enough for any cover; a bigger body is not a cover worth sending over RTSP. */
export const MAX_ARTWORK_BYTES = 4 << 20;

/** The cover at `url` (our signed /art URL), or why there is none to send. Never throws. */
export async function fetchArtwork(url: string | undefined, timeoutMs = 5000): Promise<Artwork> {
  if (!url) return { skipped: 'no art URL' };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { skipped: `art URL answered ${res.status}` };
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_ARTWORK_BYTES) {
      await res.body?.cancel();
      return { skipped: `art is ${length} bytes, over ${MAX_ARTWORK_BYTES}` };
    }
    const data = Buffer.from(await res.arrayBuffer());
    if (data.length > MAX_ARTWORK_BYTES) return { skipped: `art is ${data.length} bytes, over ${MAX_ARTWORK_BYTES}` };
    const type = imageType(data);
    if (!type) return { skipped: `art is not JPEG or PNG (${res.headers.get('content-type') ?? 'no type'})` };
    return { type, data };
  } catch (e) {
    return { skipped: `art fetch failed: ${(e as Error).message}` };
  }
}

export interface Progress {
  start: number;
  curr: number;
  end: number;
}

/**
 * Progress for a segment whose first frame (media second `position`) has RTP timestamp `rtp`:
 * start is where second 0 of the item would be on the stream, end where its last frame is.
 */
export function progressAt(rtp: number, position: number, duration: number): Progress {
  const start = wrap32(rtp - Math.round(position * SAMPLE_RATE));
  return { start, curr: wrap32(rtp), end: wrap32(start + Math.round(duration * SAMPLE_RATE)) };
}

export interface NowPlaying {
  /** RTP timestamp of the segment's first frame, and its second in the item. */
  rtp: number;
  position: number;
  duration: number | null;
  /** Track info and cover too (once per item); without it, progress only (seek, resume). */
  item?: { metadata: MediaMetadata; artwork: Promise<Artwork> };
}

/**
 * What the speaker's display shows, by SET_PARAMETER: track info and cover tagged with the item's
 * start on the stream (shairport-sync ties them together by that rtptime), then progress.
 * Failures go to `note`; `alive()` false (the item ended meanwhile) silences them.
 */
export function sendNowPlaying(rtsp: RtspClient, n: NowPlaying, note: (msg: string, fields?: object) => void, alive: () => boolean): void {
  const progress = n.duration !== null ? progressAt(n.rtp, n.position, n.duration) : undefined;
  const itemRtp = progress?.start ?? wrap32(n.rtp);
  const warn = (what: string) => (e: Error) => {
    if (alive()) note(`${what} not taken`, { error: e.message });
  };
  if (n.item) {
    const m = n.item.metadata;
    rtsp.setTrackInfo(itemRtp, { title: m.title, ...(m.artist ? { artist: m.artist } : {}), ...(m.album ? { album: m.album } : {}) }).catch(warn('track info'));
    void n.item.artwork.then((a) => {
      if (!alive()) return;
      if ('skipped' in a) return note('no cover art sent', { why: a.skipped });
      rtsp.setArtwork(itemRtp, a.type, a.data).catch(warn('cover art'));
    });
  }
  if (progress) rtsp.setProgress(progress.start, progress.curr, progress.end).catch(warn('progress'));
}
