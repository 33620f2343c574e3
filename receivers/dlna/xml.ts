// XML in and out for the DLNA kind: one parser setting (namespace prefixes dropped, every value a
// string, no entity expansion beyond XML's five) and escaping for what we write.
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

export type XmlNode = Record<string, unknown>;

/** Parses XML; throws an Error saying what is wrong when it is not XML at all. */
export function parseXml(text: string): XmlNode {
  if (!/^\s*(<\?xml[^>]*>\s*)?</.test(text)) throw new Error('not XML');
  const doc = parser.parse(text) as unknown;
  if (!doc || typeof doc !== 'object') throw new Error('empty XML');
  return doc as XmlNode;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
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
