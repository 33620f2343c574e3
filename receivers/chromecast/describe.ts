// The Cast kind's manifest for discovery: which mDNS service to browse, and how one record
// (as bonjour-service's find() yields it) becomes a receiver descriptor. discovery/ builds its
// browsers from every kind's manifest and never names Cast itself. Facts: docs/protocols.md §2.
import { isIPv4 } from 'node:net';
import type { MdnsRecord, ReceiverDescriptor } from '../types.js';
import { profileForModel } from './profile.js';

export const name = 'chromecast';
/** `_googlecast._tcp`, in the form bonjour-service's `find({ type })` wants. */
export const serviceTypes = ['googlecast'] as const;
/** CASTV2's TLS port; groups announce their own (e.g. 42238), read from SRV. For config entries without a port. */
export const defaultPort = 8009;
export { profileForModel };

/** The parts of a bonjour-service Service a kind reads (receivers/types.ts). */
export type CastServiceRecord = MdnsRecord;

// `ca` capability bits [openscreen; chromium cast_device_capability.h].
const VIDEO_OUT = 0x01;
const MULTIZONE_GROUP = 0x20;

function text(txt: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = txt?.[key];
  const s = typeof v === 'string' ? v.trim() : Buffer.isBuffer(v) ? v.toString('utf8').trim() : undefined;
  return s ? s : undefined;
}

/**
 * One `_googlecast._tcp` record → descriptor, or undefined when it cannot be used (no TXT `id`,
 * no IPv4 to connect to, no port). Host names are never resolved: the OS resolver may not know `.local`.
 */
export function describe(record: CastServiceRecord, now: number = Date.now()): ReceiverDescriptor | undefined {
  const id = text(record.txt, 'id');
  const address = record.addresses?.find((a) => isIPv4(a)) ?? record.referer?.address;
  if (!id || !address || !Number.isInteger(record.port) || record.port <= 0 || record.port > 65_535) return undefined;
  const model = text(record.txt, 'md') ?? null;
  const caText = text(record.txt, 'ca');
  const ca = caText !== undefined && /^\d+$/.test(caText) ? Number(caText) : undefined;
  let type: ReceiverDescriptor['type'];
  if (model?.toLowerCase() === 'google cast group' || (ca !== undefined && (ca & MULTIZONE_GROUP) !== 0)) type = 'group';
  else if (ca !== undefined) type = (ca & VIDEO_OUT) !== 0 ? 'tv' : 'speaker';
  // No `ca`: the model table still knows whether it has a screen.
  else type = profileForModel(model).audioOnly ? 'speaker' : 'tv';
  return {
    id: `chromecast:${id}`,
    kind: name,
    name: text(record.txt, 'fn') ?? record.name,
    model,
    host: address,
    port: record.port,
    type,
    online: true,
    lastSeen: now,
    source: 'mdns',
  };
}
