// Which peers a UPnP device talks to: DLNA clients cannot authenticate, so SSDP, SOAP and GENA are
// answered only for addresses that cannot come from the internet (RFC 1918, loopback, link-local,
// IPv6 ULA / link-local, CGNAT is left out on purpose: it is a carrier's network, not the home's).
import { isIPv4, isIPv6 } from 'node:net';

export function isPrivateAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  const a = addr.startsWith('::ffff:') && isIPv4(addr.slice(7)) ? addr.slice(7) : addr;
  if (isIPv4(a)) {
    const [x = 0, y = 0] = a.split('.').map(Number);
    return x === 10 || x === 127 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254);
  }
  if (isIPv6(a)) {
    const l = a.toLowerCase();
    return l === '::1' || /^f[cd][0-9a-f]{2}:/.test(l) || /^fe[89ab][0-9a-f]:/.test(l);
  }
  return false;
}
