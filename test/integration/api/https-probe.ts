// Run inside a remote-access test's namespace (the server is reachable only there): asks an HTTPS
// port what a browser outside would, with the certificate pinned as `ca`, and prints one JSON
// object of what came back. Usage: https-probe.js '<json>' with {host, httpsPort, ca} and, for a
// reverse proxy in front, `name` (the public name: SNI, Host, the page's Origin) and `localAddress`
// (the client's address the proxy sees), and `token`, the owner's: every request and socket is
// signed in, so a refusal is the edge check's, not a missing session's.
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { io } from 'socket.io-client';

const { host, httpsPort, ca, name = host, localAddress, token } = JSON.parse(process.argv[2]!) as { host: string; httpsPort: number; ca: string; name?: string; localAddress?: string; token: string };
const base = `https://${host}:${httpsPort}`;
const authority = httpsPort === 443 ? name : `${name}:${httpsPort}`;
const own = `https://${authority}`;
const local = localAddress ? { localAddress } : {};

interface Got { status?: number; error?: string; fingerprint?: string; csp?: string; body?: string }

function get(url: string, o: { ca?: string; method?: string; headers?: Record<string, string> } = {}): Promise<Got> {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const req = mod.request(url, { method: o.method ?? 'GET', headers: { Host: authority, authorization: `Bearer ${token}`, ...o.headers }, ...(o.ca ? { ca: o.ca } : {}), servername: name, ...local, timeout: 10_000 }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate?.()?.fingerprint256;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, ...(fingerprint ? { fingerprint } : {}), csp: String(res.headers['content-security-policy']), body: body.slice(0, 200) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

function snapshot(origin: string): Promise<string> {
  // The pinned `ca` still checks the chain; the name was checked by the requests above (SNI = name).
  const sock = io(base, { transports: ['websocket'], reconnection: false, auth: { token }, ca, ...local, checkServerIdentity: () => undefined, extraHeaders: { Origin: origin, Host: authority } } as unknown as Parameters<typeof io>[1]);
  return new Promise<string>((resolve) => {
    sock.once('snapshot', () => resolve('snapshot'));
    sock.once('connect_error', (e) => resolve(`refused: ${e.message}`));
  }).finally(() => sock.close());
}

const out = {
  health: await get(`${base}/api/health`, { ca }),
  unpinned: await get(`${base}/api/health`),
  plainHttp: await get(`http://${host}:${httpsPort}/api/health`),
  foreignHost: await get(`${base}/api/health`, { ca, headers: { Host: 'attacker-rebind.example' } }),
  crossSitePost: await get(`${base}/api/library/rescan`, { ca, method: 'POST', headers: { Origin: 'https://evil.example' } }),
  ownPost: await get(`${base}/api/library/rescan`, { ca, method: 'POST', headers: { Origin: own } }),
  ownSocket: await snapshot(own),
  crossSiteSocket: await snapshot('https://evil.example'),
};
process.stdout.write(JSON.stringify(out));
