// The names and origins this server answers to: the one check behind the Host check (DNS
// rebinding), the Origin check of Socket.IO and of state-changing routes, and the Sendspin
// endpoint's. A name is ours when it is loopback, an address of one of this machine's interfaces
// (receivers fetch signed media URLs by LAN address), the machine's hostname (and .local), the
// public URL's host or a configured extra name. An Origin is ours when it is a page served from
// one of those names on one of our ports, the public URL's, or the same host:port the request
// itself was sent to (a reverse proxy that keeps Host).
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { isLoopback } from './server-addresses.js';

export interface OwnNamesInput {
  /** The ports the server listens on (HTTP, and HTTPS when remote access is on). */
  ports: () => number[];
  publicUrl?: string | undefined;
  /** Further names (or addresses) browsers may use: a DNS name on the LAN, a proxy's Host. */
  allowedHosts?: readonly string[] | undefined;
  /** For tests: the machine's interface addresses now (default: os.networkInterfaces()). */
  interfaceAddresses?: () => string[];
}

export interface OwnNames {
  /** A host name or address (no port, brackets allowed) is one this server answers to. */
  isOwnHost(name: string): boolean;
  /** A Host header ("name:port") names this server; absent: not a browser, passes. */
  isOwnHostHeader(host: string | undefined): boolean;
  /** An Origin is a page of this server; absent: not a browser page (the CLI, a receiver), passes. */
  isOwnOrigin(origin: string | undefined, requestHost?: string | undefined): boolean;
}

/** "[::1]" → "::1", "Box.Local." → "box.local", "::ffff:10.0.0.2" → "10.0.0.2". */
function normalise(name: string): string {
  const h = name.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped ? mapped[1]! : h;
}

/** The hostname of a Host header value (name or address, optional port), or undefined when it is not one. */
export function hostOfHeader(host: string): string | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?$/.exec(host);
  return m ? normalise(m[1]!) : undefined;
}

const systemAddresses = (): string[] => Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((i) => normalise(i.address.replace(/%.*$/, ''))));

export function ownNames(o: OwnNamesInput): OwnNames {
  const readAddresses = o.interfaceAddresses ?? systemAddresses;
  // Interfaces come and go (DHCP, Wi-Fi): looked up again when an address is not known, at most once a second.
  let known = new Set(readAddresses());
  let readAt = Date.now();
  const isInterfaceAddress = (ip: string): boolean => {
    if (known.has(ip)) return true;
    if (Date.now() - readAt < 1000) return false;
    known = new Set(readAddresses());
    readAt = Date.now();
    return known.has(ip);
  };
  const extra = new Set((o.allowedHosts ?? []).map(normalise));
  const publicOrigin = o.publicUrl ? new URL(o.publicUrl).origin : undefined;
  if (o.publicUrl) extra.add(normalise(new URL(o.publicUrl).hostname));

  const isOwnHost = (raw: string): boolean => {
    const name = normalise(raw);
    if (!name) return false;
    if (isLoopback(name) || extra.has(name)) return true;
    if (isIP(name)) return isInterfaceAddress(name);
    const own = hostname().toLowerCase();
    const label = own.split('.')[0]!;
    return name === own || name === `${own}.local` || name === label || name === `${label}.local`;
  };

  return {
    isOwnHost,
    isOwnHostHeader(host) {
      if (host === undefined) return true;
      const name = hostOfHeader(host);
      return name !== undefined && isOwnHost(name);
    },
    isOwnOrigin(origin, requestHost) {
      if (origin === undefined) return true;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false;
      }
      if (publicOrigin && url.origin === publicOrigin) return true;
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
      if (!isOwnHost(url.hostname)) return false;
      if (requestHost !== undefined && url.host === requestHost.toLowerCase()) return true;
      return o.ports().includes(Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
    },
  };
}

/** Origin-only form, for endpoints that see no Host (the Sendspin WebSocket's allowOrigin). */
export function ownOriginCheck(names: OwnNames): (origin: string | undefined) => boolean {
  return (origin) => names.isOwnOrigin(origin);
}
