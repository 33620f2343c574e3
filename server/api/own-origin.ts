// Whether a browser's Origin is one of this server's own: a page of the remote as served from
// this machine (any of its addresses or names, on the server's port) or from the public URL.
// Browser-facing WebSocket endpoints (the remote's Sendspin player) take only those, so a web
// page elsewhere cannot open a player in someone's browser tab against us.
import { hostname, networkInterfaces } from 'node:os';
import { isLoopback } from './server-addresses.js';

export function ownOriginCheck(o: { port: () => number; publicUrl?: string | undefined }): (origin: string | undefined) => boolean {
  return (origin) => {
    // Not a browser (a Sendspin app or a script): Origin is what browsers send on their own.
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (o.publicUrl && url.origin === new URL(o.publicUrl).origin) return true;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (Number(url.port || (url.protocol === 'https:' ? 443 : 80)) !== o.port()) return false;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (isLoopback(host)) return true;
    const name = hostname().toLowerCase();
    if (host === name || host === `${name}.local`) return true;
    return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase() === host));
  };
}
