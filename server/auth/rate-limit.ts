// Login back-off per client address: a few typos are free, then each further failure doubles the
// wait before the next try is even looked at (1 s, 2 s, 4 s … up to 15 min). A try during the
// wait is refused without checking the password and does not count. Success forgets the address.
export interface BackOff {
  /** Seconds to wait before this address may try again; 0: go ahead. */
  wait(address: string): number;
  failed(address: string): void;
  succeeded(address: string): void;
}

export function loginBackOff(o: { free?: number; baseMs?: number; maxMs?: number; now?: () => number } = {}): BackOff {
  const free = o.free ?? 3;
  const baseMs = o.baseMs ?? 1000;
  const maxMs = o.maxMs ?? 15 * 60_000;
  const now = o.now ?? Date.now;
  const seen = new Map<string, { failures: number; until: number; last: number }>();
  const forgetOld = () => {
    // An address quiet for an hour starts afresh; the map never grows without bound.
    for (const [a, e] of seen) if (now() - e.last > 3600_000 || seen.size > 10_000) seen.delete(a);
  };
  return {
    wait(address) {
      const e = seen.get(address);
      return e ? Math.max(0, Math.ceil((e.until - now()) / 1000)) : 0;
    },
    failed(address) {
      forgetOld();
      const e = seen.get(address) ?? { failures: 0, until: 0, last: 0 };
      e.failures++;
      e.last = now();
      if (e.failures >= free) e.until = now() + Math.min(maxMs, baseMs * 2 ** (e.failures - free));
      seen.set(address, e);
    },
    succeeded(address) {
      seen.delete(address);
    },
  };
}
