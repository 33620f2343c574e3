// The README's nginx reverse-proxy setup, as written there, in front of the real server inside a
// network namespace: nginx (Debian's) terminates TLS for media.example.org on 10.77.0.1:443 and
// proxies to the server on the namespace's loopback, configured as the README says (publicUrl,
// trustedProxies). Through it the remote's API, Socket.IO (WebSocket) and a POST from the remote's
// own origin work; another site's POST and Socket.IO and a foreign Host are refused; and the
// client's address nginx forwards (X-Forwarded-For) is the one the server logs, because nginx is a
// configured proxy (browser-edge.test.ts shows the header is ignored from anyone else).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { projectRoot } from '../../helpers/paths.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

const NAME = 'media.example.org';
const BASE = { libraries: [], discovery: { mdns: false }, scan: { watch: false, onStart: false } };

let ns: Netns;
let dir: string;
let cert: string;
const started: RunningServer[] = [];

/** The README's nginx server block, pointed at this test's certificate and server port. */
function nginxConf(port: number): string {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const block = /\n {2}nginx \([^\n]*\n {2}```\n([\s\S]*?)\n {2}```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no nginx block under "Remote access"');
  const server = block
    .replace(/^ {2}/gm, '')
    .replace('listen 443 ssl;', `listen ${ns.addr}:443 ssl;`)
    .replace(/ssl_certificate +\S+;/, `ssl_certificate ${join(dir, 'cert.pem')};`)
    .replace(/ssl_certificate_key +\S+;/, `ssl_certificate_key ${join(dir, 'key.pem')};`)
    .replace('proxy_pass http://127.0.0.1:8420;', `proxy_pass http://127.0.0.1:${port};`);
  expect(server).toContain(`proxy_pass http://127.0.0.1:${port};`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join(' ');
  return `daemon off; user root; pid ${join(dir, 'nginx.pid')}; error_log stderr warn;
events { worker_connections 64; }
http { access_log off; ${temp}
${server}
}
`;
}

/** Starts nginx in the namespace for a server's port; resolves once it accepts TLS. */
async function startNginx(port: number): Promise<void> {
  const conf = join(dir, `nginx-${port}.conf`);
  writeFileSync(conf, nginxConf(port));
  const test = await ns.run('nginx', ['-t', '-c', conf, '-p', dir]);
  expect(test.code, test.stderr).toBe(0);
  const proc = ns.spawn('nginx', ['-c', conf, '-p', dir]);
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // Ready when a TCP connect to 443 succeeds (nginx logs nothing on start).
  for (let i = 0; ; i++) {
    const r = await ns.run(process.execPath, ['-e', `require('net').connect(443, '${ns.addr}').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`]);
    if (r.code === 0) return;
    if (proc.exitCode !== null || i > 100) throw new Error(`nginx did not start: ${err}`);
  }
}

async function probe(s: RunningServer): Promise<Record<string, { status?: number; error?: string } & string>> {
  const r = await ns.run(process.execPath, [join(projectRoot, 'dist/test/integration/api/https-probe.js'), JSON.stringify({ host: ns.addr, httpsPort: 443, ca: cert, name: NAME, localAddress: ns.peerAddr, token: s.token })]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  ns = await createNetns();
  dir = mkdtempSync(join(tmpdir(), 'hc-nginx-'));
  const pems = await generate([{ name: 'commonName', value: NAME }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: NAME }] }] });
  cert = pems.cert;
  writeFileSync(join(dir, 'cert.pem'), pems.cert);
  writeFileSync(join(dir, 'key.pem'), pems.private, { mode: 0o600 });
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await ns?.close();
});

describe('behind nginx as the README sets it up', () => {
  it('serves the remote through the proxy, refuses other sites and foreign names, and logs the client nginx forwards', async () => {
    // As the README says: the public URL, and the proxy's addresses as trusted.
    const s = await startServer({ config: { ...BASE, publicUrl: `https://${NAME}/`, remote: { trustedProxies: ['127.0.0.1', '::1'] } }, netns: ns });
    started.push(s);
    await startNginx(s.port);
    const before = s.lines.length;
    const seen = await probe(s);
    expect(seen.health).toMatchObject({ status: 200 });
    expect(seen.ownSocket).toBe('snapshot');
    expect(seen.ownPost!.status).toBe(202);
    expect(seen.crossSitePost!.status).toBe(403);
    expect(seen.crossSiteSocket).toMatch(/^refused/);
    expect(seen.crossSiteSocket).not.toMatch(/sign in/);
    expect(seen.foreignHost!.status).toBe(421);
    // The refusals name the client nginx saw (the namespace's second address), not nginx.
    const refused = s.lines.slice(before).filter((l) => / request refused: /.test(l));
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const line of refused) expect(line).toMatch(new RegExp(` client=${ns.peerAddr.replace(/\./g, '\\.')}$`));
    await s.stop();
  });
});
