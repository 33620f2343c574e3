// HLS URLs: `/hls/<id>/index.m3u8?<plan>&s=<stream>&exp=..&sig=..` and, relative to it,
// `<n>.ts?<same query>` (or, for fMP4 segments, `init.mp4?…` and `<n>.m4s?…`). The signature covers the stream's folder `/hls/<id>` and the query (plan,
// stream id, expiry), not the file name, so one signature serves the playlist and every segment.
import { randomBytes } from 'node:crypto';
import { targetParams, type StreamTarget, type UrlSigner } from './signing.js';

/** The raw paths we answer: playlist or a segment number, nothing else (no dots, no encodings). */
export const HLS_PATH = /^\/hls\/(\d{1,15})\/(index\.m3u8|init\.mp4|(\d{1,6})\.(ts|m4s))$/;

/** A signed playlist URL for one stream of an item; `stream` defaults to a fresh random id, so
 *  every load gets its own ffmpeg and temp dir (two TVs on one item never fight over a restart). */
export function hlsUrl(signer: UrlSigner, itemId: number, target: StreamTarget, stream = randomBytes(9).toString('base64url')): string {
  if (!Number.isSafeInteger(itemId) || itemId < 0) throw new RangeError(`bad item id ${itemId}`);
  const signed = signer.signPath(`/hls/${itemId}`, { ...targetParams({ ...target, container: 'hls' }), s: stream });
  const q = signed.indexOf('?');
  return `${signed.slice(0, q)}/index.m3u8${signed.slice(q)}`;
}

export interface HlsRequest {
  itemId: number;
  /** null = the playlist, -1 = the fMP4 init segment (as Jellyfin numbers it) */
  segment: number | null;
  /** What was asked for: the playlist, the init segment, an MPEG-TS or an fMP4 segment. */
  file: 'playlist' | 'init' | 'ts' | 'm4s';
  /** What the signature covers. */
  signedPath: string;
}

/** Splits a raw request path; undefined for anything that is not one of ours. */
export function parseHlsPath(pathname: string): HlsRequest | undefined {
  const m = HLS_PATH.exec(pathname);
  if (!m) return undefined;
  const file = m[2] === 'index.m3u8' ? 'playlist' : m[2] === 'init.mp4' ? 'init' : (m[4] as 'ts' | 'm4s');
  const segment = file === 'playlist' ? null : file === 'init' ? -1 : Number(m[3]);
  return { itemId: Number(m[1]), segment, file, signedPath: `/hls/${m[1]}` };
}
