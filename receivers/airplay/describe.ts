// The AirPlay (RAOP) kind's manifest for discovery: `_raop._tcp` records → receiver descriptors.
// The instance name is `<12 hex of the MAC>@<Name>`; TXT keys as PROTOCOLS.md §5 lists them.
// A speaker that only takes encrypted streams (TXT `et` without 0) or wants a password (`pw=true`)
// is still described, so the remote lists it; the driver refuses it with a clear error.
import { isIPv4 } from 'node:net';
import type { MdnsRecord, ReceiverDescriptor } from '../types.js';
import { profileForModel } from './profile.js';

export const name = 'airplay';
/** `_raop._tcp`, in the form bonjour-service's `find({ type })` wants. */
export const serviceTypes = ['raop'] as const;
/** shairport-sync's RTSP port (Apple gear announces 7000 in SRV). For config entries without a port. */
export const defaultPort = 5000;
export { profileForModel };

function text(txt: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = txt?.[key];
  const s = typeof v === 'string' ? v.trim() : Buffer.isBuffer(v) ? v.toString('utf8').trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  return s ? s : undefined;
}

/** Why our sender (unencrypted, no password) cannot play to this speaker, or undefined when it can. */
export function unsupportedReason(txt: Record<string, unknown> | undefined): string | undefined {
  const pw = text(txt, 'pw')?.toLowerCase();
  if (pw === 'true' || pw === '1') return 'needs a password, not supported yet';
  const et = text(txt, 'et');
  if (et !== undefined && !et.split(',').map((s) => s.trim()).includes('0')) return 'needs encryption, not supported yet';
  return undefined;
}

// What describe() learnt about each speaker that a descriptor has no field for; read by the driver.
const refusals = new Map<string, string>();

/** The reason describe() noted for a receiver id (see unsupportedReason). */
export function refusalFor(id: string): string | undefined {
  return refusals.get(id);
}

/**
 * One `_raop._tcp` record → descriptor, or undefined when it cannot be used (no `<hex>@<name>`
 * instance name, no IPv4 to connect to, no port). Host names are never resolved.
 */
export function describe(record: MdnsRecord, now: number = Date.now()): ReceiverDescriptor | undefined {
  const m = /^([0-9A-Fa-f]{12})@(.+)$/s.exec(record.name ?? '');
  const address = record.addresses?.find((a) => isIPv4(a)) ?? record.referer?.address;
  if (!m || !address || !Number.isInteger(record.port) || record.port <= 0 || record.port > 65_535) return undefined;
  const id = `airplay:${m[1]!.toUpperCase()}`;
  const reason = unsupportedReason(record.txt);
  if (reason) refusals.set(id, reason);
  else refusals.delete(id);
  return {
    id,
    kind: name,
    name: text(record.txt, 'fn') ?? text(record.txt, 'name') ?? m[2]!.trim(),
    model: text(record.txt, 'am') ?? text(record.txt, 'md') ?? null,
    host: address,
    port: record.port,
    type: 'speaker',
    online: true,
    lastSeen: now,
    source: 'mdns',
  };
}
