// Reading XML that renderers send (descriptions, SCPDs, SOAP answers, GENA events): the shared
// UPnP parser (receivers/shared/upnp/xml.ts: prefixes dropped, values as text, no DOCTYPE) and
// small helpers to walk what it gives.
import { escapeXml, parseXml as parseShared } from '../shared/upnp/xml.js';

export { escapeXml };
export type XmlNode = Record<string, unknown>;

/** Parses XML; throws an Error saying what is wrong when it is not well-formed XML. */
export function parseXml(text: string): XmlNode {
  if (!/^\s*</.test(text)) throw new Error('not XML');
  return parseShared(text);
}

/** A child element (the first, when repeated) as a node, or undefined. */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first && typeof first === 'object' ? (first as XmlNode) : undefined;
}

/** Every child element of that name, as nodes. */
export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is XmlNode => !!x && typeof x === 'object');
}

/** A child element's text ('' for an empty element), or undefined when absent. */
export function text(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  let v = (node as XmlNode)[name];
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return typeof (v as XmlNode)['#text'] === 'string' ? ((v as XmlNode)['#text'] as string) : '';
  return undefined;
}
