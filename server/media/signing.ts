// Signed, expiring media URLs. Receivers (Cast, AirPlay, DLNA) fetch media without cookies or
// headers, so the URL itself is the credential: HMAC-SHA256 over the path and every parameter,
// `start` included: no player rewrites it (a seek in a live transcode is a new load, with a new
// URL from load-request.ts), so a URL asks for exactly what we minted.
import { createHmac, timingSafeEqual } from 'node:crypto';

export { loadOrCreateSecret } from './secret.js';

export interface TranscodeTarget {
  container: string;
  audioCodec?: string;
  videoCodec?: string;
  /** bits per second, total */
  bitrate?: number;
  /** Audio limits (Hz, bits, count). */
  sampleRate?: number;
  bitDepth?: 16 | 24 | 32;
  channels?: number;
  /** Video bounds: long edge ≤ maxWidth, short edge ≤ maxHeight; frames per second. */
  maxWidth?: number;
  maxHeight?: number;
  maxFrameRate?: number;
  /** HDR → SDR (BT.709). */
  toneMap?: boolean;
  /** The source's audio stream to carry (0-based among its audio streams). */
  audioStream?: number;
}

// TranscodeTarget field → short URL parameter, in URL order (transcode-params.ts reads them back).
const INT_PARAMS = [['bitrate', 'br'], ['sampleRate', 'sr'], ['bitDepth', 'bd'], ['channels', 'ch'], ['maxWidth', 'mw'], ['maxHeight', 'mh']] as const;

/** What streamUrl takes: any bit depth, so a raw playback DecisionTarget fits too; the media
 *  route refuses a depth other than 16/24/32 (transcodeTargetFrom rounds it for you). */
export type StreamTarget = Omit<TranscodeTarget, 'bitDepth'> & { bitDepth?: number };

/** A target's URL parameters (c, vc, ac, br, ...), as /media and /hls URLs carry them. */
export function targetParams(target: StreamTarget): Record<string, string> {
  const params: Record<string, string> = { c: target.container };
  if (target.videoCodec) params.vc = target.videoCodec;
  if (target.audioCodec) params.ac = target.audioCodec;
  for (const [field, key] of INT_PARAMS) {
    const v = target[field];
    if (v !== undefined) params[key] = String(Math.round(v));
  }
  // 29.97 stays 29.97; three decimals keep the URL short and stable.
  if (target.maxFrameRate !== undefined) params.fps = String(Math.round(target.maxFrameRate * 1000) / 1000);
  if (target.toneMap) params.tm = '1';
  if (target.audioStream) params.as = String(target.audioStream);
  return params;
}

export interface UrlSigner {
  /** Relative URL, e.g. `/media/12?c=mp4&vc=h264&ac=aac&start=12.5&exp=...&sig=...`; start (seconds, to the
   *  millisecond; only with a target: a transcode starts there) is signed like the rest. */
  streamUrl(itemId: number, target?: StreamTarget, start?: number): string;
  /** `/art/<sha1 hash>?size=300&exp=...&sig=...`; size optional (thumbnail edge in px, one of ART_SIZES). */
  artUrl(hash: string, size?: number): string;
  /** Signs any path with extra parameters (for later URL kinds such as HLS segments). */
  signPath(pathname: string, params?: Record<string, string>): string;
  verify(pathname: string, query: URLSearchParams): 'ok' | 'expired' | 'bad';
}

/** Thumbnail edges we make; a fixed set so nobody can fill the disk with sizes. */
export const ART_SIZES = [96, 300, 600] as const;
export const ART_HASH = /^[0-9a-f]{40}$/;

/** Parameters outside the signature: `sig` itself. */
const UNSIGNED = new Set(['sig']);

export function createSigner(opts: { secret: Buffer; ttlSeconds: number; /** ms, like Date.now */ now?: () => number }): UrlSigner {
  const now = opts.now ?? Date.now;
  if (opts.secret.length < 16) throw new Error('URL signing secret too short');

  const mac = (pathname: string, entries: [string, string][]): string => {
    const canonical = entries
      .filter(([k]) => !UNSIGNED.has(k))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .sort()
      .join('&');
    return createHmac('sha256', opts.secret).update(`${pathname}\n${canonical}`).digest('base64url');
  };

  const signPath = (pathname: string, params: Record<string, string> = {}): string => {
    // Rounded up to the hour so one item keeps one URL for a while and browsers can cache it.
    const exp = Math.ceil((now() / 1000 + opts.ttlSeconds) / 3600) * 3600;
    const entries: [string, string][] = [...Object.entries(params).filter(([k]) => !UNSIGNED.has(k) && k !== 'exp'), ['exp', String(exp)]];
    const query = new URLSearchParams(entries);
    query.set('sig', mac(pathname, entries));
    return `${pathname}?${query.toString()}`;
  };

  return {
    signPath,

    streamUrl(itemId, target, start) {
      if (!Number.isSafeInteger(itemId) || itemId < 0) throw new RangeError(`bad item id ${itemId}`);
      const params = target ? targetParams(target) : {};
      // Milliseconds, written as plain decimals (never 1e-7): what the media route takes.
      const at = start === undefined ? 0 : Math.round(start * 1000) / 1000;
      if (at > 0) params.start = at.toFixed(3).replace(/\.?0+$/, '');
      return signPath(`/media/${itemId}`, params);
    },

    artUrl(hash, size) {
      if (!ART_HASH.test(hash)) throw new RangeError(`bad art hash ${hash}`);
      if (size !== undefined && !(ART_SIZES as readonly number[]).includes(size)) throw new RangeError(`art size ${size} not in ${ART_SIZES.join(',')}`);
      return signPath(`/art/${hash}`, size === undefined ? {} : { size: String(size) });
    },

    verify(pathname, query) {
      const entries = [...query.entries()];
      const keys = entries.map(([k]) => k);
      // A repeated key could be read differently by the signer and the handler: refuse it.
      if (new Set(keys).size !== keys.length) return 'bad';
      const sig = query.get('sig');
      const exp = query.get('exp');
      if (!sig || !exp || !/^\d{1,12}$/.test(exp)) return 'bad';
      const expected = Buffer.from(mac(pathname, entries));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad';
      return Number(exp) * 1000 <= now() ? 'expired' : 'ok';
    },
  };
}
