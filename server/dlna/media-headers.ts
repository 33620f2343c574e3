// DLNA's HTTP headers on media responses (DLNA guidelines 7.4.1.3.11, 7.4.1.3.22, 7.4.1.3.25):
// a renderer that asks (getcontentFeatures.dlna.org: 1, or any transferMode.dlna.org) gets
// contentFeatures.dlna.org (the 4th protocolInfo field) and transferMode.dlna.org; a transcode
// seeks by TimeSeekRange.dlna.org (npt), an original by byte ranges.
import type { IncomingMessage } from 'node:http';
import type { SubtitleInfo } from '../library/probe-types.js';
import type { UrlSigner } from '../media/signing.js';
import { defaultSubtitle } from '../playback/subtitles.js';
import { dlnaProfile, fourthField } from './protocol-info.js';

/** The address the client reached us on, as a URL base (what it can fetch from). */
export function requestBase(req: IncomingMessage): string {
  const local = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `http://${local.includes(':') ? `[${local}]` : local}:${req.socket.localPort}`;
}

/**
 * The SubRip URL Samsung and LG TVs read subtitles from (CaptionInfo.sec header, sec:CaptionInfoEx
 * in DIDL): the video's default text subtitle, else its first; undefined without any.
 */
export function captionUrl(base: string, signer: UrlSigner, videoId: number, subs: readonly SubtitleInfo[] | undefined): string | undefined {
  if (!subs?.length) return undefined;
  return base + signer.signPath(`/subs/${videoId}/${defaultSubtitle(subs) ?? 0}`, { f: 'srt' });
}

export function wantsDlnaHeaders(req: IncomingMessage): boolean {
  return req.headers['getcontentfeatures.dlna.org'] === '1' || req.headers['transfermode.dlna.org'] !== undefined || req.headers['timeseekrange.dlna.org'] !== undefined;
}

export function dlnaHeaders(req: IncomingMessage, o: { mime: string; transcoded: boolean }): Record<string, string> {
  if (!wantsDlnaHeaders(req)) return {};
  const image = o.mime.startsWith('image/');
  const asked = String(req.headers['transfermode.dlna.org'] ?? '');
  const mode = /^(Streaming|Interactive|Background)$/i.test(asked) ? asked : image ? 'Interactive' : 'Streaming';
  return { 'contentFeatures.dlna.org': fourthField({ pn: o.transcoded ? undefined : dlnaProfile({ mime: o.mime }), transcoded: o.transcoded, image }), 'transferMode.dlna.org': mode };
}

/** `npt=10.5-`, `npt=0:01:02.5-0:02:00`: seconds; 'bad' for anything else. */
export function parseTimeSeek(header: string | string[] | undefined): { start: number; end?: number } | 'bad' | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*npt\s*=\s*([\d:.]+)\s*-\s*([\d:.]*)\s*$/i.exec(String(header));
  if (!m) return 'bad';
  const secs = (s: string): number | undefined => {
    const p = /^(?:(\d{1,5}):([0-5]?\d):)?(\d+(?:\.\d{1,6})?)$/.exec(s);
    if (!p) return undefined;
    return Number(p[1] ?? 0) * 3600 + Number(p[2] ?? 0) * 60 + Number(p[3]);
  };
  const start = secs(m[1]!);
  const end = m[2] ? secs(m[2]) : undefined;
  if (start === undefined || (m[2] && end === undefined) || (end !== undefined && end < start)) return 'bad';
  return end === undefined ? { start } : { start, end };
}

/** `npt=10.500-62.000/62.000` for the response (the end is the item's, as we always stream to it). */
export function timeSeekReply(start: number, duration: number | null | undefined): string {
  const d = duration ? duration.toFixed(3) : '*';
  return `npt=${start.toFixed(3)}-${duration ? d : ''}/${d}`;
}
