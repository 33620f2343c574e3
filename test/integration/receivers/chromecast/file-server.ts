// A tiny static file server with byte ranges, for the emulator tests: in-process on the host's
// loopback, or as a child process inside a test network namespace (run directly, it prints
// `{"port":N}` and then one JSON line per request). Records each request's path and Range.
// `?bps=N` sends at most N bytes per second: a server (or network) slower than the media;
// `?hold=N&holdMs=M` stops for M ms after the first N bytes of an answer: a network hiccup (without
// holdMs: until `release()`, for a test that waits for the player to notice);
// `?live=1` answers as a live transcode does: 200, no length, `Accept-Ranges: none`, any Range ignored.
// `?cors=1` allows any origin (Access-Control-Allow-Origin: *), as a server for XHR clients must.
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ServedRequest {
  path: string;
  range: string | null;
  /** The Origin header (browsers and Cast receiver apps send one with an XHR). */
  origin: string | null;
  /** Bytes read from disk for this answer so far (pipe back-pressure keeps it near what was sent). */
  sent: number;
}

export interface FileServer {
  port: number;
  /** `http://host:port` */
  url: string;
  requests: ServedRequest[];
  onRequest: ((r: ServedRequest) => void) | null;
  /** Lets every answer held without holdMs go on. */
  release(): void;
  close(): Promise<void>;
}

const types: Record<string, string> = { mp4: 'video/mp4', mkv: 'video/x-matroska', mp3: 'audio/mpeg', flac: 'audio/flac', vtt: 'text/vtt' };

export async function startFileServer(root: string, host = '127.0.0.1', port = 0): Promise<FileServer> {
  const requests: ServedRequest[] = [];
  let letGo!: () => void;
  let released = new Promise<void>((r) => (letGo = r));
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(u.pathname);
    const bps = Number(u.searchParams.get('bps')) || 0;
    const hold = Number(u.searchParams.get('hold')) || 0;
    const live = u.searchParams.get('live') === '1';
    const holdMs = Number(u.searchParams.get('holdMs')) || 0;
    const entry: ServedRequest = { path, range: req.headers.range ?? null, origin: req.headers.origin ?? null, sent: 0 };
    requests.push(entry);
    fs.onRequest?.(entry);
    const file = join(root, normalize(path));
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    const headers = {
      'Accept-Ranges': 'bytes', 'Content-Type': types[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
      ...(u.searchParams.get('cors') ? { 'Access-Control-Allow-Origin': '*' } : {}),
    };
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (live) {
      res.writeHead(200, { 'Content-Type': headers['Content-Type'], 'Accept-Ranges': 'none' });
      send(createReadStream(file));
    } else if (m) {
      const start = Number(m[1]);
      const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      if (start >= size) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
      send(createReadStream(file, { start, end }));
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': size });
      send(createReadStream(file));
    }
    function send(stream: ReturnType<typeof createReadStream>): void {
      stream.on('data', (chunk) => (entry.sent += chunk.length));
      res.once('close', () => stream.destroy());
      if (!bps && !hold) {
        stream.pipe(res);
        return;
      }
      // Small chunks, each followed by the pause its size takes at `bps`; one long pause at `hold`.
      const throttle = async function* (source: AsyncIterable<Buffer>) {
        let out = 0;
        for await (const chunk of source) {
          for (let i = 0; i < chunk.length; i += 4096) {
            let part = chunk.subarray(i, i + 4096);
            if (hold && out < hold && out + part.length >= hold) {
              const head = part.subarray(0, hold - out);
              out += head.length;
              yield head;
              await (holdMs ? new Promise((r) => setTimeout(r, holdMs)) : released);
              part = part.subarray(head.length);
            }
            out += part.length;
            if (part.length) yield part;
            if (bps) await new Promise((r) => setTimeout(r, (part.length / bps) * 1000));
          }
        }
      };
      pipeline(stream, throttle, res).catch(() => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actual = (server.address() as AddressInfo).port;
  const fs: FileServer = {
    port: actual,
    url: `http://${host}:${actual}`,
    requests,
    onRequest: null,
    release: () => {
      letGo();
      released = new Promise<void>((r) => (letGo = r));
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return fs;
}

// Child-process mode: node file-server.js ROOT HOST
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root, host] = process.argv.slice(2);
  const s = await startFileServer(root!, host ?? '127.0.0.1');
  s.onRequest = (r) => process.stdout.write(`${JSON.stringify({ event: 'request', ...r })}\n`);
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: s.port })}\n`);
  process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
}
