// Remote access (config `remote`), the real server in a network namespace on its LAN address:
// off by default (no HTTPS port); on, it serves the same remote over HTTPS on its own port with a
// self-signed certificate kept in the data folder (key 0600) whose SHA-256 fingerprint the log
// prints and a client pinning it sees; plain HTTP on that port gets no answer; the same edge checks
// hold there (foreign Host, another site's POST and Socket.IO); a restart keeps the certificate.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { projectRoot } from '../../helpers/paths.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

const BASE = { libraries: [], discovery: { mdns: false }, scan: { watch: false, onStart: false } };

let ns: Netns;
const started: RunningServer[] = [];

async function start(config: Record<string, unknown>, dataDir?: string): Promise<RunningServer> {
  const s = await startServer({ config: { ...BASE, host: ns.addr, ...config }, netns: ns, ...(dataDir ? { dataDir } : {}) });
  started.push(s);
  return s;
}

/** What https-probe.js saw from inside the namespace. */
async function probe(s: RunningServer, httpsPort: number, ca: string): Promise<Record<string, { status?: number; error?: string; fingerprint?: string; csp?: string } & string>> {
  const child = ns.spawn(process.execPath, [join(projectRoot, 'dist/test/integration/api/https-probe.js'), JSON.stringify({ host: ns.addr, httpsPort, ca, token: s.token })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

const remotePort = async (s: RunningServer) => Number(/ remote access port=(\d+)/.exec(await s.waitForLine(/ remote access port=/))![1]);

beforeAll(async () => {
  ns = await createNetns();
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await ns?.close();
});

describe('remote access over HTTPS', () => {
  it('is off by default: no HTTPS port, no certificate made', async () => {
    const s = await start({});
    await s.waitForLine(/ listening /);
    expect(s.lines.some((l) => / remote access/.test(l))).toBe(false);
    expect(() => statSync(join(s.dataDir, 'remote-cert.pem'))).toThrow();
    await s.stop();
  });

  it('on: serves the remote over HTTPS with a self-signed certificate whose logged fingerprint a pinning client sees; plain HTTP there gets nothing; the edge checks hold', async () => {
    const s = await start({ remote: { enabled: true, port: 0 } });
    const port = await remotePort(s);
    expect(port).not.toBe(s.port);
    const fingerprint = /fingerprint=(\S+)/.exec(await s.waitForLine(/ remote access port=/))![1]!;
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(statSync(join(s.dataDir, 'remote-key.pem')).mode & 0o777).toBe(0o600);
    const ca = readFileSync(join(s.dataDir, 'remote-cert.pem'), 'utf8');

    const seen = await probe(s, port, ca);
    expect(seen.health).toMatchObject({ status: 200, fingerprint });
    expect(seen.health!.csp).toContain("script-src 'self'");
    // Without the pin, the self-signed certificate is not trusted.
    expect(seen.unpinned!.error).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    // Plain HTTP on the HTTPS port: no HTTP answer at all, only a closed connection.
    expect(seen.plainHttp!.status).toBeUndefined();
    expect(seen.plainHttp!.error).toMatch(/ECONNRESET|socket hang up|EPIPE|HPE_/);
    expect(seen.foreignHost!.status).toBe(421);
    expect(seen.crossSitePost!.status).toBe(403);
    expect(seen.ownPost!.status).toBe(202);
    expect(seen.ownSocket).toBe('snapshot');
    expect(seen.crossSiteSocket).toMatch(/^refused/);
    expect(seen.crossSiteSocket).not.toMatch(/sign in/);

    // A restart keeps the certificate (a pinned fingerprint stays valid).
    await s.stop();
    const again = await start({ remote: { enabled: true, port: 0 } }, s.dataDir);
    expect(await again.waitForLine(/ remote access port=/)).toContain(`fingerprint=${fingerprint}`);
  });

  it('a certificate from the config is served as it is; a missing file is a clear error at start', async () => {
    const first = await start({ remote: { enabled: true, port: 0 } });
    await first.waitForLine(/ remote access port=/);
    await first.stop();
    // The first server's self-signed pair stands in for files from Let's Encrypt or a proxy.
    const s = await start({ remote: { enabled: true, port: 0, certFile: join(first.dataDir, 'remote-cert.pem'), keyFile: join(first.dataDir, 'remote-key.pem') } });
    const line = await s.waitForLine(/ remote access port=/);
    expect(line).toContain('certificate="from config"');
    const seen = await probe(s, await remotePort(s), readFileSync(join(first.dataDir, 'remote-cert.pem'), 'utf8'));
    expect(seen.health!.status).toBe(200);

    await expect(start({ remote: { enabled: true, port: 0, certFile: '/nonexistent/cert.pem', keyFile: '/nonexistent/key.pem' } })).rejects.toThrow(/remote access: cannot load the certificate: .*nonexistent/);
  });
});
