// The certificate of the remote-access port: the config's files (Let's Encrypt's, a proxy's), else
// a self-signed one kept in the data folder (remote-cert.pem, remote-key.pem, 0600) and made again
// only when missing or within 30 days of expiring. Its SHA-256 fingerprint is logged so the owner
// can check it (pin it) on the first visit from outside.
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface RemoteCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, colon-separated hex (as browsers show it). */
  fingerprint: string;
  selfSigned: boolean;
  /** Made at this start (a new fingerprint to pin). */
  created: boolean;
}

const DAY = 24 * 3600 * 1000;
// Apple's and Chrome's limit for a server certificate is 398 days; a pinned self-signed one is
// exempt, but a shorter life costs nothing when it renews itself.
const LIFETIME_DAYS = 397;

export async function loadRemoteCertificate(o: { dataDir: string; certFile?: string | undefined; keyFile?: string | undefined; names: string[] }): Promise<RemoteCertificate> {
  if (o.certFile && o.keyFile) {
    const cert = readFileSync(o.certFile, 'utf8');
    const key = readFileSync(o.keyFile, 'utf8');
    return { cert, key, fingerprint: new X509Certificate(cert).fingerprint256, selfSigned: false, created: false };
  }
  const certFile = join(o.dataDir, 'remote-cert.pem');
  const keyFile = join(o.dataDir, 'remote-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - Date.now() > 30 * DAY) {
      // A key others can read lets them pose as us: tighten it if someone loosened it.
      if ((statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, 0o600);
      return { cert, key: readFileSync(keyFile, 'utf8'), fingerprint: x509.fingerprint256, selfSigned: true, created: false };
    }
  }
  const names = [...new Set(['localhost', hostname(), `${hostname().split('.')[0]}.local`, '127.0.0.1', '::1', ...o.names])];
  const now = new Date();
  // Loaded only to make one: its X.509 code costs ~250 ms at every start otherwise.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: `homecast on ${hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY),
    notAfterDate: new Date(now.getTime() + LIFETIME_DAYS * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  // Private from its first byte: written to a new 0600 file, then moved into place.
  const tmp = `${keyFile}.${process.pid}.tmp`;
  writeFileSync(tmp, pems.private, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, keyFile);
  writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, fingerprint: new X509Certificate(pems.cert).fingerprint256, selfSigned: true, created: true };
}
