// XML helpers shared by the UPnP device side (SOAP, GENA, descriptions, DIDL-Lite): one parser
// configuration (namespace prefixes dropped, every value kept as text) and escaping.
import { XMLParser } from 'fast-xml-parser';

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
const SPECIAL = /[<>&"']/;
const SPECIALS = /[<>&"']/g;

/** Most values (titles, numbers) need no escaping: they are returned as they are, without a copy. */
export function escapeXml(s: string | number): string {
  const str = String(s);
  return SPECIAL.test(str) ? str.replace(SPECIALS, (c) => ENTITIES[c]!) : str;
}

/** `<name>value</name>` with the value escaped. */
export function el(name: string, value: string | number): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses a document from a peer. A DOCTYPE is refused outright: SOAP forbids it (SOAP 1.1 §3)
 * and it is the door to entity expansion.
 */
export function parseXml(text: string): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(text)) throw new Error('DOCTYPE not allowed');
  return parser.parse(text, true) as Record<string, unknown>;
}

/** The text of a parsed element (fast-xml-parser gives '' or a string, or an object with #text). */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in v) return String((v as Record<string, unknown>)['#text']);
  if (v && typeof v === 'object' && Object.keys(v).every((k) => k.startsWith('@'))) return '';
  return undefined;
}
