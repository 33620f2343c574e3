// Remote access (config `remote`): off by default; when on, the HTTPS port with its certificate,
// logged with the fingerprint to pin when the certificate is our own.
import type { Server as HttpServer } from 'node:http';
import type { Config } from '../config/schema.js';
import type { Logger } from '../util/log.js';
import { loadRemoteCertificate } from './certificate.js';
import { listenHttps, type HttpsPort } from './https-port.js';

export async function startRemoteAccess(http: HttpServer, config: Config, log: Logger, names: string[]): Promise<HttpsPort | undefined> {
  if (!config.remote.enabled) return undefined;
  const cert = await loadRemoteCertificate({ dataDir: config.dataDir, certFile: config.remote.certFile, keyFile: config.remote.keyFile, names }).catch((e: Error) => {
    throw new Error(`remote access: cannot load the certificate: ${e.message}`);
  });
  const https = await listenHttps(http, { host: config.host, port: config.remote.port, cert: cert.cert, key: cert.key, log }).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`remote access: cannot listen on ${config.host}:${config.remote.port}: ${e.code === 'EADDRINUSE' ? 'the port is in use (set "remote.port" in the config)' : e.message}`);
  });
  log.info('remote access', { port: https.port, certificate: cert.selfSigned ? (cert.created ? 'self-signed, new' : 'self-signed') : 'from config', fingerprint: cert.fingerprint });
  if (cert.selfSigned) log.info('remote access: check that your browser shows this SHA-256 fingerprint before you trust the certificate', { fingerprint: cert.fingerprint });
  return https;
}
