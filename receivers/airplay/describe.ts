// The AirPlay kind's manifest for discovery: `_raop._tcp` (audio, RAOP) and `_airplay._tcp`
// (video and photos, AirPlay 1 HTTP) records → receiver descriptors. Both records of one device
// get the same id (`airplay:<12 hex of the MAC>`), so the registry merges them into one receiver
// with both endpoints. Facts: docs/protocols.md §4 (`_airplay._tcp`) and §5 (`_raop._tcp`).
// A speaker that only takes encrypted streams (TXT `et` without 0) is still described, so the
// remote lists it; the driver refuses it with a clear error. `pw=true` marks needsPassword (the
// RAOP driver does Digest auth with the password the user gives).
import { isIPv4 } from 'node:net';
import type { MdnsRecord, ReceiverDescriptor } from '../types.js';
import { modelName } from './models.js';
import { profileForModel } from './profile.js';

export const name = 'airplay';
/** `_raop._tcp` and `_airplay._tcp`, in the form bonjour-service's `find({ type })` wants. */
export const serviceTypes = ['raop', 'airplay'] as const;
/** shairport-sync's RTSP port (Apple gear announces 7000 in SRV). For config entries without a port. */
export const defaultPort = 5000;
export { modelName, profileForModel };

/** `model` and, when the table knows it, `modelName`, for a descriptor. */
function modelFields(model: string | null): Pick<ReceiverDescriptor, 'model' | 'modelName'> {
  const known = modelName(model);
  return known ? { model, modelName: known } : { model };
}

function text(txt: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = txt?.[key];
  const s = typeof v === 'string' ? v.trim() : Buffer.isBuffer(v) ? v.toString('utf8').trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  return s ? s : undefined;
}

const list = (s: string | undefined): string[] | undefined => s?.split(',').map((x) => x.trim());

/** Why our sender (unencrypted) cannot play to this speaker, or undefined when it can. */
export function unsupportedReason(txt: Record<string, unknown> | undefined): string | undefined {
  const et = list(text(txt, 'et'));
  if (et !== undefined && !et.includes('0')) return 'needs encryption, not supported yet';
  return undefined;
}

/** TXT `pw` says the speaker wants a password. */
export function wantsPassword(txt: Record<string, unknown> | undefined): boolean {
  const pw = text(txt, 'pw')?.toLowerCase();
  return pw === 'true' || pw === '1';
}

/** The audio codec to send from TXT `cn` (0 PCM, 1 ALAC, 2 AAC, 3 AAC-ELD): ALAC when listed or unsaid. */
export function codecFromTxt(txt: Record<string, unknown> | undefined): 'alac' | 'pcm' {
  const cn = list(text(txt, 'cn'));
  return cn && !cn.includes('1') && cn.includes('0') ? 'pcm' : 'alac';
}

/** Apple TVs announce `model`/`am` as AppleTV<gen>,<rev>: those show video. */
export const isAppleTv = (model: string | null | undefined): boolean => /^appletv/i.test(model?.trim() ?? '');

// What describe() learnt about each speaker that a descriptor has no field for; read by the drivers.
const refusals = new Map<string, string>();
const codecs = new Map<string, 'alac' | 'pcm'>();

/** The reason describe() noted for a receiver id (see unsupportedReason). */
export function refusalFor(id: string): string | undefined {
  return refusals.get(id);
}

/** The codec the speaker with this id asked for in its `_raop._tcp` TXT `cn` (ALAC when never seen). */
export function codecFor(id: string): 'alac' | 'pcm' {
  return codecs.get(id) ?? 'alac';
}

function addressOf(record: MdnsRecord): string | undefined {
  return record.addresses?.find((a) => isIPv4(a)) ?? record.referer?.address;
}

const validPort = (p: number): boolean => Number.isInteger(p) && p > 0 && p <= 65_535;

/** A `_raop._tcp` record: instance `<12 hex>@<Name>`, TXT as docs/protocols.md §5. */
function describeRaop(record: MdnsRecord, now: number): ReceiverDescriptor | undefined {
  const m = /^([0-9A-Fa-f]{12})@(.+)$/s.exec(record.name ?? '');
  const address = addressOf(record);
  if (!m || !address || !validPort(record.port)) return undefined;
  const id = `airplay:${m[1]!.toUpperCase()}`;
  const reason = unsupportedReason(record.txt);
  if (reason) refusals.set(id, reason);
  else refusals.delete(id);
  codecs.set(id, codecFromTxt(record.txt));
  const model = text(record.txt, 'am') ?? text(record.txt, 'md') ?? null;
  return {
    id,
    kind: name,
    name: text(record.txt, 'fn') ?? text(record.txt, 'name') ?? m[2]!.trim(),
    ...modelFields(model),
    host: address,
    port: record.port,
    type: isAppleTv(model) ? 'tv' : 'speaker',
    online: true,
    lastSeen: now,
    source: 'mdns',
    endpoints: { raop: record.port },
    needsPassword: wantsPassword(record.txt),
  };
}

/** A `_airplay._tcp` record: instance = the name, TXT `deviceid` (MAC with colons), `model`, `features`. */
function describeAirplay(record: MdnsRecord, now: number): ReceiverDescriptor | undefined {
  const mac = text(record.txt, 'deviceid')?.replace(/[:-]/g, '');
  const address = addressOf(record);
  if (!mac || !/^[0-9A-Fa-f]{12}$/.test(mac) || !address || !validPort(record.port) || !record.name) return undefined;
  const model = text(record.txt, 'model') ?? null;
  return {
    id: `airplay:${mac.toUpperCase()}`,
    kind: name,
    name: record.name.trim(),
    ...modelFields(model),
    host: address,
    port: record.port,
    type: isAppleTv(model) ? 'tv' : 'speaker',
    online: true,
    lastSeen: now,
    source: 'mdns',
    endpoints: { airplay: record.port },
    // RAOP is the service every AirPlay device has: its address is the one to keep.
    secondary: true,
  };
}

/**
 * One `_raop._tcp` or `_airplay._tcp` record → descriptor, or undefined when it cannot be used (no
 * device id, no IPv4 to connect to, no port). Host names are never resolved. A record without a
 * `type` is read by its shape (a RAOP instance name has the `<hex>@` prefix).
 */
export function describe(record: MdnsRecord, now: number = Date.now()): ReceiverDescriptor | undefined {
  if (record.type === 'airplay') return describeAirplay(record, now);
  if (record.type === 'raop') return describeRaop(record, now);
  return describeRaop(record, now) ?? describeAirplay(record, now);
}
