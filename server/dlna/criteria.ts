// SearchCriteria and SortCriteria (ContentDirectory:1 §2.5.5, §2.5.7), over the properties DIDL
// shows. The search grammar is the whole of §2.5.5 (relational and string operators, exists,
// and/or with `and` binding tighter, parentheses); what TVs send is a small part of it
// (`upnp:class derivedfrom "object.item.audioItem" and dc:title contains "x"`).
import { UpnpError } from '../../receivers/shared/upnp/soap.js';
import type { ContainerNode, ItemRow } from './tree.js';

export type Props = Record<string, string[]>;

export function containerProps(c: ContainerNode): Props {
  const p: Props = { '@id': [c.id], '@parentID': [c.parentId], 'dc:title': [c.title], 'upnp:class': [c.upnpClass] };
  if (c.artist) p['upnp:artist'] = p['dc:creator'] = [c.artist];
  if (c.genre) p['upnp:genre'] = [c.genre];
  if (c.date) p['dc:date'] = [c.date];
  return p;
}

export function itemProps(id: string, item: ItemRow): Props {
  const p: Props = { '@id': [id], res: ['1'] };
  if (item.kind === 'audio') {
    const t = item.row;
    Object.assign(p, { 'dc:title': [t.title], 'upnp:class': ['object.item.audioItem.musicTrack'], 'dc:creator': [t.artist], 'upnp:artist': [t.artist, ...(t.albumArtist ? [t.albumArtist] : [])] });
    if (t.album) p['upnp:album'] = [t.album];
    if (t.genre) p['upnp:genre'] = [t.genre];
    if (t.trackNo) p['upnp:originalTrackNumber'] = [String(t.trackNo)];
    if (t.year) p['dc:date'] = [`${t.year}-01-01`];
  } else if (item.kind === 'video') {
    Object.assign(p, { 'dc:title': [item.row.title], 'upnp:class': ['object.item.videoItem'] });
    if (item.row.year) p['dc:date'] = [`${item.row.year}-01-01`];
  } else {
    Object.assign(p, { 'dc:title': [item.row.title], 'upnp:class': ['object.item.imageItem.photo'] });
    if (item.row.takenAt !== null) p['dc:date'] = [new Date(item.row.takenAt).toISOString().slice(0, 19)];
  }
  return p;
}

export const SEARCH_CAPS = ['@id', '@parentID', 'dc:title', 'dc:creator', 'dc:date', 'upnp:class', 'upnp:artist', 'upnp:album', 'upnp:genre', 'upnp:originalTrackNumber', 'res'];
export const SORT_CAPS = ['dc:title', 'dc:creator', 'dc:date', 'upnp:class', 'upnp:artist', 'upnp:album', 'upnp:genre', 'upnp:originalTrackNumber'];

export type Matcher = (p: Props) => boolean;

const badSearch = (why: string) => new UpnpError(708, `Unsupported or invalid search criteria: ${why}`);

type Token = { t: 'word' | 'str' | '(' | ')'; v: string };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, v: c });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw badSearch('unterminated string');
        const d = s[i++]!;
        if (d === '"') break;
        if (d === '\\' && i < s.length) v += s[i++];
        else v += d;
      }
      out.push({ t: 'str', v });
    } else {
      const m = /^[^\s()"]+/.exec(s.slice(i))!;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
    if (out.length > 256) throw badSearch('too long');
  }
  return out;
}

const REL = new Set(['=', '!=', '<', '<=', '>', '>=', 'contains', 'doesnotcontain', 'derivedfrom', 'startswith', 'exists']);

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b, undefined, { sensitivity: 'base' });
}

function relation(prop: string, op: string, val: string): Matcher {
  const v = val.toLowerCase();
  const any = (f: (x: string) => boolean): Matcher => (p) => (p[prop] ?? []).some(f);
  switch (op) {
    case 'exists': {
      if (v !== 'true' && v !== 'false') throw badSearch('exists takes true or false');
      return (p) => (p[prop] !== undefined) === (v === 'true');
    }
    case '=': return any((x) => x.toLowerCase() === v);
    case '!=': return (p) => !(p[prop] ?? []).some((x) => x.toLowerCase() === v);
    case '<': return any((x) => compare(x, val) < 0);
    case '<=': return any((x) => compare(x, val) <= 0);
    case '>': return any((x) => compare(x, val) > 0);
    case '>=': return any((x) => compare(x, val) >= 0);
    case 'contains': return any((x) => x.toLowerCase().includes(v));
    case 'doesnotcontain': return (p) => !(p[prop] ?? []).some((x) => x.toLowerCase().includes(v));
    case 'startswith': return any((x) => x.toLowerCase().startsWith(v));
    case 'derivedfrom': return any((x) => x.toLowerCase() === v || x.toLowerCase().startsWith(`${v}.`));
    default: throw badSearch(`operator ${op}`);
  }
}

export function parseSearch(criteria: string): Matcher {
  const s = criteria.trim();
  if (s === '*' || s === '') return () => true;
  const toks = tokenize(s);
  let i = 0;
  const peek = () => toks[i];
  const orExp = (depth: number): Matcher => {
    const parts = [andExp(depth)];
    while (peek()?.t === 'word' && peek()!.v.toLowerCase() === 'or') (i++, parts.push(andExp(depth)));
    return parts.length === 1 ? parts[0]! : (p) => parts.some((m) => m(p));
  };
  const andExp = (depth: number): Matcher => {
    const parts = [primary(depth)];
    while (peek()?.t === 'word' && peek()!.v.toLowerCase() === 'and') (i++, parts.push(primary(depth)));
    return parts.length === 1 ? parts[0]! : (p) => parts.every((m) => m(p));
  };
  const primary = (depth: number): Matcher => {
    if (depth > 32) throw badSearch('nested too deep');
    const t = toks[i++];
    if (!t) throw badSearch('ends early');
    if (t.t === '(') {
      const m = orExp(depth + 1);
      if (toks[i++]?.t !== ')') throw badSearch('missing )');
      return m;
    }
    if (t.t !== 'word') throw badSearch(`unexpected ${t.v}`);
    const op = toks[i++];
    const val = toks[i++];
    if (!op || op.t !== 'word' || !REL.has(op.v.toLowerCase())) throw badSearch(`no operator after ${t.v}`);
    if (!val || (val.t !== 'str' && !(op.v === 'exists' && val.t === 'word'))) throw badSearch(`no value after ${op.v}`);
    return relation(t.v, op.v.toLowerCase(), val.v);
  };
  const m = orExp(0);
  if (i !== toks.length) throw badSearch(`unexpected ${toks[i]!.v}`);
  return m;
}

/** `+dc:title,-dc:date` → a comparator over Props; '' → undefined (keep the tree's order). */
export function parseSort(criteria: string): ((a: Props, b: Props) => number) | undefined {
  const keys = criteria.split(',').map((k) => k.trim()).filter(Boolean);
  if (keys.length === 0) return undefined;
  const parsed = keys.map((k) => {
    const dir = k.startsWith('-') ? -1 : 1;
    const prop = k.replace(/^[+-]/, '');
    if (!SORT_CAPS.includes(prop)) throw new UpnpError(709, `Unsupported or invalid sort criteria: ${prop}`);
    return { dir, prop };
  });
  return (a, b) => {
    for (const { dir, prop } of parsed) {
      const x = a[prop]?.[0];
      const y = b[prop]?.[0];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = compare(x, y);
      if (c !== 0) return dir * c;
    }
    return 0;
  };
}
