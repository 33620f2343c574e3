// HLS URLs: `/hls/<id>/index.m3u8?<plan>&s=<stream>&exp=..&sig=..` and, relative to it,
// `<n>.ts?<same query>`. The signature covers the stream's folder `/hls/<id>` and the query (plan,
// stream id, expiry), not the file name, so one signature serves the playlist and every segment.
import { randomBytes } from 'node:crypto';
import { targetParams, type StreamTarget, type UrlSigner } from './signing.js';

/** The raw paths we answer: playlist or a segment number, nothing else (no dots, no encodings). */
export const HLS_PATH = /^\/hls\/(\d{1,15})\/(index\.m3u8|(\d{1,6})\.ts)$/;

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
  /** null = the playlist */
  segment: number | null;
  /** What the signature covers. */
  signedPath: string;
}

/** Splits a raw request path; undefined for anything that is not one of ours. */
export function parseHlsPath(pathname: string): HlsRequest | undefined {
  const m = HLS_PATH.exec(pathname);
  if (!m) return undefined;
  return { itemId: Number(m[1]), segment: m[3] === undefined ? null : Number(m[3]), signedPath: `/hls/${m[1]}` };
}
