// What `remote.trustedProxies` takes: an IP address or a subnet in CIDR form.
import { isIP } from 'node:net';

/** "10.0.0.2", "fd00::1", "192.168.1.0/24", "fd00::/64" are entries; anything else is not. */
export function isProxyEntry(entry: string): boolean {
  const [addr, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
