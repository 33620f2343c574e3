// The browser edge of the real server, from the outside over loopback: a page of another site can
// neither open a Socket.IO connection (polling or WebSocket) nor send a state-changing request
// (403); a request for a name the server does not answer to is refused with 421 on every route and
// on the Socket.IO handshake (DNS rebinding); the machine's own names and addresses, loopback, and
// configured extra names pass; security headers come with every page; X-Forwarded-* counts only
// from the configured proxy. Every request here is signed in as the owner, so what refuses one is
// the edge check under test, not a missing session.
import http from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../helpers/server.js';
import { ensureUiBuilt } from '../../e2e/ui-build.js';

const BASE = { libraries: [], discovery: { mdns: false }, scan: { watch: false, onStart: false } };
const EVIL = 'http://evil.example';
const REBIND = 'attacker-rebind.example';

let server: RunningServer;
let proxied: RunningServer;

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A raw request as the owner (fetch will not send a Host of our choosing). */
function request(s: RunningServer, path: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.port, path, method: o.method ?? 'GET', headers: { ...s.authHeaders, ...o.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket upgrade's status line: what a browser's `new WebSocket()` gets back. */
function upgradeStatus(s: RunningServer, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.port, path, headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...s.authHeaders, ...headers } });
    req.on('upgrade', (res, socket) => (socket.destroy(), resolve(res.statusCode!)));
    req.on('response', (res) => (res.resume(), resolve(res.statusCode!)));
    req.on('error', reject);
    req.end();
  });
}

/** Connects as a browser page of `origin` would; resolves with the snapshot, or rejects with why not. */
function connect(s: RunningServer, transport: 'websocket' | 'polling', origin?: string): Promise<unknown> {
  const sock: Socket = s.io({ transports: [transport], timeout: 10_000, ...(origin ? { extraHeaders: { Origin: origin } } : {}) });
  return new Promise<unknown>((resolve, reject) => {
    sock.once('snapshot', (snap) => resolve(snap));
    sock.once('connect_error', (err) => reject(err));
  }).finally(() => sock.close());
}

beforeAll(async () => {
  ensureUiBuilt();
  [server, proxied] = await Promise.all([
    startServer({ config: { ...BASE, allowedHosts: ['media.home.arpa'] } }),
    startServer({ config: { ...BASE, allowedHosts: ['media.home.arpa'], remote: { trustedProxies: ['127.0.0.1'] } } }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), proxied?.stop()]);
});

describe('Origin: pages of other sites', () => {
  it('a Socket.IO connection from another site is refused (WebSocket and polling); the remote\'s own origin and no Origin connect', async () => {
    await expect(connect(server, 'websocket', EVIL)).rejects.toThrow();
    await expect(connect(server, 'polling', EVIL)).rejects.toThrow();
    // Same host, another port: another origin too.
    await expect(connect(server, 'polling', `http://127.0.0.1:${server.port + 1}`)).rejects.toThrow();
    expect(await connect(server, 'websocket', server.url)).toHaveProperty('receivers');
    expect(await connect(server, 'polling', `http://localhost:${server.port}`)).toHaveProperty('receivers');
    expect(await connect(server, 'websocket')).toHaveProperty('receivers');
    expect(await upgradeStatus(server, '/socket.io/?EIO=4&transport=websocket', { Origin: EVIL })).toBe(403);
    await server.waitForLine(/ request refused: page of another site origin=http:\/\/evil\.example url="?\/socket\.io\//);
  });

  it('a POST from another site is refused with 403 and starts nothing; from the remote or a script it is taken', async () => {
    const before = server.lines.length;
    const evil = await request(server, '/api/library/rescan', { method: 'POST', headers: { Origin: EVIL } });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toEqual({ error: expect.stringContaining('page of another site') });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    // "null" is what a sandboxed frame or a file:// page sends.
    expect((await request(server, '/api/library/rescan', { method: 'POST', headers: { Origin: 'null' } })).status).toBe(403);
    expect(server.lines.slice(before).some((l) => / scan (started|finished)/.test(l))).toBe(false);
    expect((await request(server, '/api/library/rescan', { method: 'POST', headers: { Origin: server.url } })).status).toBe(202);
    expect((await request(server, '/api/library/rescan', { method: 'POST' })).status).toBe(202);
    // Reads stay open to any page's <img>/<video> and to receivers' cast apps; no CORS header lets a page read them.
    const read = await request(server, '/api/health', { headers: { Origin: EVIL } });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Host: names the server answers to', () => {
  it('a foreign Host gets 421 on pages, the API, media and the Socket.IO handshake (polling and WebSocket)', async () => {
    const host = `${REBIND}:${server.port}`;
    for (const path of ['/', '/index.html', '/api/health', '/api/library/stats', '/media/1?exp=1&sig=x']) {
      expect((await request(server, path, { headers: { Host: host } })).status, path).toBe(421);
    }
    expect((await request(server, '/api/library/rescan', { method: 'POST', headers: { Host: host } })).status).toBe(421);
    const polling = await request(server, '/socket.io/?EIO=4&transport=polling', { headers: { Host: host } });
    expect(polling.status).toBe(421);
    expect(await upgradeStatus(server, '/socket.io/?EIO=4&transport=websocket', { Host: host })).toBe(421);
    // Same-origin as the rebound page, as the attacker's script would send it: still refused.
    expect(await upgradeStatus(server, '/socket.io/?EIO=4&transport=websocket', { Host: host, Origin: `http://${host}` })).toBe(421);
    // Garbage is not a name.
    expect((await request(server, '/api/health', { headers: { Host: 'a b@c' } })).status).toBe(421);
  });

  it('the browser player\'s /sendspin WebSocket on the main port: a foreign Host gets 421, its own name upgrades', async () => {
    const host = `${REBIND}:${server.port}`;
    expect(await upgradeStatus(server, '/sendspin', { Host: host })).toBe(421);
    expect(await upgradeStatus(server, '/sendspin', { Host: host, Origin: `http://${host}` })).toBe(421);
    expect(await upgradeStatus(server, '/sendspin', { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` })).toBe(101);
  });

  it('loopback, the hostname (and .local), the machine\'s interface addresses and configured names pass', async () => {
    const addresses = Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((i) => (i.family === 'IPv6' ? `[${i.address.replace(/%.*$/, '')}]` : i.address));
    const names = ['127.0.0.1', 'localhost', '[::1]', hostname(), `${hostname().split('.')[0]}.local`, 'MEDIA.home.arpa', ...addresses];
    for (const name of names) {
      // As a receiver fetches a signed URL: Host is the address it was given, with the port.
      expect((await request(server, '/api/health', { headers: { Host: `${name}:${server.port}` } })).status, name).toBe(200);
    }
    const polling = await request(server, '/socket.io/?EIO=4&transport=polling', { headers: { Host: `localhost:${server.port}` } });
    expect(polling.status).toBe(200);
    // An address that is not this machine's is a name it does not answer to.
    expect((await request(server, '/api/health', { headers: { Host: `192.0.2.77:${server.port}` } })).status).toBe(421);
  });
});

describe('security headers', () => {
  it('the remote\'s page and the API carry a CSP with only its own scripts, nosniff, no Referer and no framing', async () => {
    for (const path of ['/', '/api/health']) {
      const r = await request(server, path);
      expect(r.status, path).toBe(200);
      const csp = String(r.headers['content-security-policy']);
      expect(csp, path).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|\*)/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('X-Forwarded-* from a reverse proxy', () => {
  it('counts only from the configured proxy address: its client address and its forwarded Host', async () => {
    const headers = { Origin: EVIL, 'X-Forwarded-For': '203.0.113.7' };
    // Not configured: the header is anybody's to send, so the peer (loopback) is the client.
    const before = server.lines.length;
    expect((await request(server, '/api/library/rescan', { method: 'POST', headers })).status).toBe(403);
    expect(await server.waitForLine(/ request refused: page of another site /, 10_000, before)).toMatch(/ client=127\.0\.0\.1\b/);
    const at = proxied.lines.length;
    expect((await request(proxied, '/api/library/rescan', { method: 'POST', headers })).status).toBe(403);
    expect(await proxied.waitForLine(/ request refused: page of another site /, 10_000, at)).toMatch(/ client=203\.0\.113\.7\b/);
    // The Host the client asked the proxy for is the one checked, from the proxy only.
    expect((await request(proxied, '/api/health', { headers: { 'X-Forwarded-Host': REBIND } })).status).toBe(421);
    expect((await request(proxied, '/api/health', { headers: { Host: REBIND, 'X-Forwarded-Host': 'media.home.arpa' } })).status).toBe(200);
    expect((await request(server, '/api/health', { headers: { 'X-Forwarded-Host': REBIND } })).status).toBe(200);
    expect((await request(server, '/api/health', { headers: { Host: REBIND, 'X-Forwarded-Host': 'media.home.arpa' } })).status).toBe(421);
  });
});

describe('the refusal log', () => {
  it('a flood of refused requests logs a bounded number of lines, and counts the rest', async () => {
    const before = server.lines.length;
    const flood = 600;
    const started = Date.now();
    for (let i = 0; i < flood; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => request(server, '/api/health', { headers: { Host: `${REBIND}:${server.port}` } })));
    }
    const seconds = (Date.now() - started) / 1000;
    const single = () => server.lines.slice(before).filter((l) => / request refused: unknown Host /.test(l)).length;
    const counted = () => server.lines.slice(before).map((l) => / requests refused \(not logged one by one\) count=(\d+)/.exec(l)).reduce((n, m) => n + (m ? Number(m[1]) : 0), 0);
    // The rest is said in count lines, each at most 10 s after the refusals it counts.
    let seen = before;
    while (single() + counted() < flood) {
      const line = await server.waitForLine(/ requests refused \(not logged one by one\) count=\d+/, 20_000, seen);
      seen = server.lines.indexOf(line, seen) + 1;
    }
    // Every refusal accounted for; a burst of 30 lines, then about one a second: never one per request.
    expect(single() + counted()).toBe(flood);
    expect(single()).toBeLessThanOrEqual(30 + Math.ceil(seconds) + 1);
  });
});
