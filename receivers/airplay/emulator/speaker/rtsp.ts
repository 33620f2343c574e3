// RTSP/1.0 as a RAOP speaker reads and writes it: requests parsed from a TCP byte stream (headers,
// then exactly Content-Length bytes of body), responses echoing the request's CSeq.
export interface RtspRequest {
  method: string;
  uri: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** Bodies larger than this (cover art is the largest thing sent) end the connection. */
export const MAX_BODY = 8 << 20;
const MAX_HEAD = 64 << 10;

/** One request at the head of `buf`; undefined while incomplete; throws on garbage. */
export function parseRequest(buf: Buffer): { request: RtspRequest; rest: Buffer } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    if (buf.length > MAX_HEAD) throw new Error('RTSP request head too long');
    return undefined;
  }
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^([A-Z_]+) (\S+) RTSP\/1\.0$/.exec(lines[0] ?? '');
  if (!m) throw new Error(`bad RTSP request line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const len = Number(headers['content-length'] ?? 0);
  if (!Number.isInteger(len) || len < 0 || len > MAX_BODY) throw new Error(`bad Content-Length: ${headers['content-length']}`);
  if (buf.length < end + 4 + len) return undefined;
  return { request: { method: m[1]!, uri: m[2]!, headers, body: buf.subarray(end + 4, end + 4 + len) }, rest: buf.subarray(end + 4 + len) };
}

const REASONS: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 415: 'Unsupported Media Type', 451: 'Parameter Not Understood',
  453: 'Not Enough Bandwidth', 455: 'Method Not Valid in This State', 501: 'Not Implemented',
};

export interface RtspResponse {
  status: number;
  headers?: Record<string, string>;
  body?: { type: string; data: Buffer | string };
  /** Why it was refused: for our events, not sent. */
  why?: string;
}

export function formatResponse(cseq: string | undefined, r: RtspResponse): Buffer {
  const data = r.body ? Buffer.from(r.body.data) : undefined;
  const headers: Record<string, string> = {
    ...(cseq !== undefined ? { CSeq: cseq } : {}),
    Server: 'AirTunes/105.1',
    ...r.headers,
    ...(r.body && data ? { 'Content-Type': r.body.type, 'Content-Length': String(data.length) } : {}),
  };
  const head = `RTSP/1.0 ${r.status} ${REASONS[r.status] ?? 'Error'}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return data ? Buffer.concat([Buffer.from(head, 'latin1'), data]) : Buffer.from(head, 'latin1');
}
