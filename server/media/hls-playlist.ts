// The VOD media playlist we write for a whole item before any segment exists (as Jellyfin does):
// fixed-length segments covering the known duration, then ENDLIST, so the player knows the
// duration and can seek to any segment at once. Segment URIs are relative and carry the
// playlist's own signed query.

/** A last piece shorter than this joins the one before (ffmpeg may not cut a segment that holds no frame). */
const MIN_TAIL = 0.1;

/** Segment lengths (seconds) that add up to `duration`. */
export function segmentDurations(duration: number, segmentSeconds: number): number[] {
  if (!(duration > 0) || !(segmentSeconds > 0)) return [];
  const full = Math.floor(duration / segmentSeconds);
  const out: number[] = Array.from({ length: full }, () => segmentSeconds);
  const tail = duration - full * segmentSeconds;
  if (tail >= MIN_TAIL || out.length === 0) out.push(tail);
  else out[out.length - 1] = segmentSeconds + tail;
  return out;
}

/** `lengths`: each segment's seconds (segmentDurations, or from keyframes for a copied picture);
 *  `query` is the signed query string without '?', copied onto every segment URI. `fmp4`: the
 *  segments are fragmented MP4 (<n>.m4s) after an init segment (init.mp4, #EXT-X-MAP), which
 *  needs protocol version 6 or more (RFC 8216 §7; Apple's HLS authoring spec asks for 7). */
export function writePlaylist(lengths: number[], query: string, opts: { fmp4?: boolean } = {}): string {
  const suffix = query ? `?${query}` : '';
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${opts.fmp4 ? 7 : 3}`,
    // TARGETDURATION: every EXTINF rounded must be at most this (RFC 8216 §4.3.3.1).
    `#EXT-X-TARGETDURATION:${Math.max(1, ...lengths.map((d) => Math.round(d)))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
  ];
  if (opts.fmp4) lines.push(`#EXT-X-MAP:URI="init.mp4${suffix}"`);
  const ext = opts.fmp4 ? 'm4s' : 'ts';
  lengths.forEach((d, n) => lines.push(`#EXTINF:${d.toFixed(6)},`, `${n}.${ext}${suffix}`));
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}
