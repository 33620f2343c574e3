// Which peers may speak for a client through X-Forwarded-* (a reverse proxy in front of us): only
// the addresses and subnets the config lists (`remote.trustedProxies`), none by default. Express's
// `trust proxy` and the Host check use this same function. Entries are checked by the config's
// schema (config/proxy-entry.ts).
import { BlockList, isIP } from 'node:net';

export function trustedProxy(entries: readonly string[]): (addr: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  return (addr) => {
    if (!addr) return false;
    // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
    const plain = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr)?.[1] ?? addr;
    return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}
