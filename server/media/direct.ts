// Direct play: an already opened, already checked file served with byte ranges and validators,
// the way players and receivers expect (seek = new Range request). Throughput matters: 1 MiB
// reads into two reused buffers (copy-range.ts), no work per chunk.
import type { Stats } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { copyRange } from './copy-range.js';
import { parseRange } from './range.js';
import { closeQuietly } from './safe-open.js';

export interface SendOptions {
  mime: string;
  cacheControl: string;
  /** Defaults to a strong tag from size and mtime (strong, so If-Range can resume downloads). */
  etag?: string;
}

export function fileEtag(stat: Stats): string {
  return `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
}

/** Sends the file behind `fd` and takes ownership of the descriptor (always closed). */
export function sendOpenFile(req: IncomingMessage, res: ServerResponse, fd: number, stat: Stats, opts: SendOptions): void {
  const size = stat.size;
  const etag = opts.etag ?? fileEtag(stat);
  const lastModified = new Date(stat.mtimeMs).toUTCString();
  const headers: OutgoingHttpHeaders = {
    'Content-Type': opts.mime,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': lastModified,
    'Cache-Control': opts.cacheControl,
    'X-Content-Type-Options': 'nosniff',
  };

  if (notModified(req, etag, stat.mtimeMs)) {
    closeQuietly(fd);
    res.writeHead(304, { ETag: etag, 'Last-Modified': lastModified, 'Cache-Control': opts.cacheControl });
    res.end();
    return;
  }

  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = ifRangeHolds(req, etag, lastModified) ? parseRange(req.headers.range, size) : { kind: 'none' as const };
  if (range.kind === 'unsatisfiable' || range.kind === 'malformed') {
    closeQuietly(fd);
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes', 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  if (range.kind === 'range') {
    ({ start, end } = range);
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);

  if (req.method === 'HEAD' || size === 0) {
    closeQuietly(fd);
    res.end();
    return;
  }
  void copyRange(fd, start, end, res);
}

function notModified(req: IncomingMessage, etag: string, mtimeMs: number): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    // Weak comparison (RFC 9110 §13.1.2): W/ prefixes do not matter here.
    const bare = etag.replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

function ifRangeHolds(req: IncomingMessage, etag: string, lastModified: string): boolean {
  const ifRange = req.headers['if-range'];
  if (ifRange === undefined) return true;
  const v = String(ifRange).trim();
  // Strong comparison only: a weak tag never validates a partial response.
  if (v.startsWith('"') || v.startsWith('W/')) return v === etag && !etag.startsWith('W/');
  return Date.parse(v) === Date.parse(lastModified);
}
