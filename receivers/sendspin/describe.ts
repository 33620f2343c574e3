// The Sendspin kind's manifest for discovery: players that advertise `_sendspin._tcp` (spec
// "Server Initiated Connections": port, recommended 8928, and TXT `path`, recommended /sendspin)
// wait for the server to connect to ws://<address>:<port><path>. Players that connect to us
// themselves appear through SendspinServer's `player` event instead. Either way the server
// decodes the item and sends 44.1 kHz 16-bit stereo PCM, so any audio plays as it is.
import { isIPv4 } from 'node:net';
import type { MdnsRecord, Profile, ReceiverDescriptor } from '../types.js';
import { decodedAudioProfile } from '../shared/decoded-audio-profile.js';

export const name = 'sendspin';
/** `_sendspin._tcp`, in the form bonjour-service's `find({ type })` wants. */
export const serviceTypes = ['sendspin'] as const;
/** The spec's recommended client port, for config entries without one. */
export const defaultPort = 8928;
export const DEFAULT_CLIENT_PATH = '/sendspin';

/** Audio only; the server decodes every item to PCM for the group stream. */
export function profileForModel(model?: string | null): Profile {
  return decodedAudioProfile(model ? `Sendspin player (${model})` : 'Sendspin player');
}

function text(txt: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = txt?.[key];
  const s = typeof v === 'string' ? v.trim() : Buffer.isBuffer(v) ? v.toString('utf8').trim() : undefined;
  return s ? s : undefined;
}

const paths = new Map<string, string>();

/** The WebSocket URL to connect to for a player described from `_sendspin._tcp`. */
export function connectUrl(d: Pick<ReceiverDescriptor, 'id' | 'host' | 'port'>): string {
  return `ws://${d.host}:${d.port}${paths.get(d.id) ?? DEFAULT_CLIENT_PATH}`;
}

/**
 * A `_sendspin._tcp` record → descriptor. The spec's TXT has only `path`; the id is TXT
 * `client_id` or `id` when the player gives one (ours does), else the instance name, so it may
 * differ from the `client_id` the player's hello gives. Undefined without an IPv4 or a port.
 */
export function describe(record: MdnsRecord, now: number = Date.now()): ReceiverDescriptor | undefined {
  const address = record.addresses?.find((a) => isIPv4(a)) ?? record.referer?.address;
  if (!address || !Number.isInteger(record.port) || record.port <= 0 || record.port > 65_535 || !record.name) return undefined;
  const clientId = text(record.txt, 'client_id') ?? text(record.txt, 'id') ?? record.name.trim();
  const id = `sendspin:${clientId}`;
  const path = text(record.txt, 'path') ?? DEFAULT_CLIENT_PATH;
  paths.set(id, path.startsWith('/') ? path : `/${path}`);
  return {
    id,
    kind: name,
    name: text(record.txt, 'name') ?? record.name.trim(),
    model: null,
    host: address,
    port: record.port,
    type: 'speaker',
    online: true,
    lastSeen: now,
    source: 'mdns',
    endpoints: { sendspin: record.port },
  };
}
