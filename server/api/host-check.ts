// The browser edge, checked before any route or Socket.IO runs: a request whose Host is not a name
// this server answers to gets 421 (DNS rebinding: a page of another site that got its name pointed
// at us still sends its own name as Host), and a request a page of another site sent gets 403 —
// every state-changing HTTP request (all but GET/HEAD/OPTIONS: reads stay open to receivers, whose
// cast apps send their own Origin) and every Socket.IO request, handshake and WebSocket upgrade.
// No CORS headers are sent, so browsers keep other sites' pages from reading our answers.
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { OwnNames } from './own-origin.js';
import type { Logger } from '../util/log.js';
import { refusalLog } from './refusal-log.js';

type Next = (err?: unknown) => void;
export type EdgeMiddleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

export interface EdgeGuard {
  /** For express: Host on every request, Origin on state-changing ones. */
  http: EdgeMiddleware;
  /** For io.engine.use(): Host and Origin on every Engine.IO request and upgrade. */
  socket: EdgeMiddleware;
  /** For other WebSocket upgrades on our ports (the browser player's /sendspin): the Host check alone (the endpoint checks Origin). */
  upgradeHost: (req: IncomingMessage) => boolean;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The Host the client asked for: a trusted proxy's X-Forwarded-Host, else Host. */
export function requestHost(req: IncomingMessage, trusted: (addr: string | undefined) => boolean): string | undefined {
  const forwarded = req.headers['x-forwarded-host'];
  if (forwarded && trusted(req.socket.remoteAddress)) return String(forwarded).split(',')[0]!.trim();
  return req.headers.host;
}

/** Who sent the request: the peer, or through trusted proxies the last address they vouch for (as express's req.ip). */
export function clientAddress(req: IncomingMessage, trusted: (addr: string | undefined) => boolean): string {
  let addr = req.socket.remoteAddress;
  const hops = String(req.headers['x-forwarded-for'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  while (trusted(addr) && hops.length > 0) addr = hops.pop();
  return addr ?? '';
}

/** Answers and ends: a normal response, or (Engine.IO's stand-in during an upgrade) the raw socket. */
function refuse(res: ServerResponse, status: 421 | 403, error: string): void {
  const body = JSON.stringify({ error });
  if (res instanceof ServerResponse) {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
    return;
  }
  const socket = (res as { socket?: Socket }).socket;
  const reason = status === 421 ? 'Misdirected Request' : 'Forbidden';
  socket?.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export function edgeGuard(names: OwnNames, trusted: (addr: string | undefined) => boolean, log: Logger): EdgeGuard {
  const refused = refusalLog(log);
  const ownHost = (req: IncomingMessage): boolean => {
    const host = requestHost(req, trusted);
    if (names.isOwnHostHeader(host)) return true;
    refused('request refused: unknown Host', { host: String(host).slice(0, 100), url: String(req.url).slice(0, 100), client: clientAddress(req, trusted) });
    return false;
  };
  const check = (originAlways: boolean): EdgeMiddleware => (req, res, next) => {
    if (!ownHost(req)) return refuse(res, 421, 'this server does not answer to that name (add it to "allowedHosts" in the config if it is yours)');
    const origin = req.headers.origin;
    if ((originAlways || !SAFE.has(req.method ?? 'GET')) && !names.isOwnOrigin(origin, requestHost(req, trusted))) {
      refused('request refused: page of another site', { origin: String(origin).slice(0, 100), url: String(req.url).slice(0, 100), client: clientAddress(req, trusted) });
      return refuse(res, 403, 'refused: the request came from a page of another site');
    }
    next();
  };
  return { http: check(false), socket: check(true), upgradeHost: ownHost };
}
