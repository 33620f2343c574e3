// Where another device (a phone) can open the web remote: the configured public URL, then this
// machine's LAN addresses for the host the server listens on (the interface that reaches the LAN
// first). Never "localhost": a phone would open itself. Logged at start and served at
// GET /api/server for the remote's "Open on your phone" QR code.
import { Router } from 'express';
import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { httpBase, localAddressFor } from '../playback/local-address.js';

/** The remote reads this (ui/src/data/types.ts keeps a copy; test/unit/ui/wire-types.test.ts checks it). */
export interface ServerAddresses {
  /** Where another device can open the remote, best first; empty when there is no such address. */
  urls: string[];
  /** The address the server listens on (config `host`). */
  host: string;
  /** It listens on loopback only: no other device can reach it (a public URL may still, through a proxy). */
  loopbackOnly: boolean;
}

export interface AddressInput {
  host: string;
  port: number;
  publicUrl?: string | undefined;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** The source address of the default route, when there is one: the interface that reaches the LAN. */
  routed?: string | undefined;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}

/** Pure: the URLs for a listen host, the machine's interfaces and its routed address. */
export function serverAddresses(a: AddressInput): ServerAddresses {
  const urls: string[] = [];
  if (a.publicUrl) urls.push(new URL(a.publicUrl).href);
  const loopbackOnly = isLoopback(a.host);
  if (WILDCARD.has(a.host)) {
    // '0.0.0.0' takes IPv4 only; '::' takes both. Link-local IPv6 needs a zone a URL cannot carry.
    const all = Object.values(a.interfaces).flatMap((list) => list ?? []).filter((i) => !i.internal);
    const v4 = all.filter((i) => i.family === 'IPv4').map((i) => i.address);
    const v6 = a.host === '::' ? all.filter((i) => i.family === 'IPv6' && !/^fe[89ab]/i.test(i.address)).map((i) => i.address) : [];
    const ordered = [...v4.filter((x) => x === a.routed), ...v4.filter((x) => x !== a.routed), ...v6];
    urls.push(...ordered.map((x) => `${httpBase(x, a.port)}/`));
  } else if (!loopbackOnly) {
    urls.push(localUrl(a.host, a.port));
  }
  return { urls: [...new Set(urls)], host: a.host, loopbackOnly };
}

/** The source address the kernel would use towards the internet: a UDP connect sends nothing. */
async function routedAddress(): Promise<string | undefined> {
  // 198.51.100.1 is a documentation address (RFC 5737): only the routing table is asked.
  return localAddressFor('198.51.100.1').catch(() => undefined);
}

/** Now: interfaces come and go (Wi-Fi, DHCP), so each call looks again. */
export async function currentServerAddresses(c: { host: string; port: number; publicUrl?: string | undefined }): Promise<ServerAddresses> {
  return serverAddresses({ ...c, interfaces: networkInterfaces(), routed: WILDCARD.has(c.host) ? await routedAddress() : undefined });
}

/** The URL for a listen host as it is ("localhost" for all interfaces: what this machine opens). */
export function localUrl(host: string, port: number): string {
  if (WILDCARD.has(host)) return `http://localhost:${port}/`;
  return isIP(host) ? `${httpBase(host, port)}/` : `http://${host}:${port}/`;
}

export function serverRouter(addresses: () => Promise<ServerAddresses>): Router {
  const r = Router();
  r.get('/api/server', (_req, res, next) => {
    addresses().then((a) => res.json(a), next);
  });
  return r;
}
