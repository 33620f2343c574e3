// Property lists as AirPlay 1 uses them: XML (`text/x-apple-plist+xml`: server-info, playback-info,
// reverse events) and binary (`application/x-apple-binary-plist`: the body iOS sends to /play).
// Only the types these messages carry: dict, array, string, integer, real, boolean, data, date.
// Formats: Apple's CFBinaryPList.c (bplist00) and the PropertyList-1.0 DTD.

export type PlistValue = string | number | boolean | Buffer | Date | PlistValue[] | { [key: string]: PlistValue };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function xmlOf(v: PlistValue, indent: string): string {
  if (typeof v === 'string') return `${indent}<string>${esc(v)}</string>`;
  if (typeof v === 'boolean') return `${indent}<${v}/>`;
  if (typeof v === 'number') return Number.isInteger(v) ? `${indent}<integer>${v}</integer>` : `${indent}<real>${v}</real>`;
  if (Buffer.isBuffer(v)) return `${indent}<data>${v.toString('base64')}</data>`;
  if (v instanceof Date) return `${indent}<date>${v.toISOString().replace(/\.\d{3}Z$/, 'Z')}</date>`;
  if (Array.isArray(v)) return v.length ? `${indent}<array>\n${v.map((x) => xmlOf(x, indent + '\t')).join('\n')}\n${indent}</array>` : `${indent}<array/>`;
  const keys = Object.keys(v);
  if (!keys.length) return `${indent}<dict/>`;
  return `${indent}<dict>\n${keys.map((k) => `${indent}\t<key>${esc(k)}</key>\n${xmlOf(v[k]!, indent + '\t')}`).join('\n')}\n${indent}</dict>`;
}

export function toXmlPlist(v: PlistValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n${xmlOf(v, '')}\n</plist>\n`;
}

const unesc = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Parses an XML plist; throws on anything malformed. */
export function parseXmlPlist(text: string): PlistValue {
  const tokens = [...text.replace(/<\?xml[^>]*>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)(\w+)(\s[^>]*?)?(\/?)>|([^<]+)/g)];
  let i = 0;
  const next = () => tokens[i++] ?? fail('unexpected end');
  function fail(why: string): never {
    throw new Error(`bad plist: ${why}`);
  }
  const textUntil = (tag: string): string => {
    let s = '';
    for (let t = next(); ; t = next()) {
      if (t[5] !== undefined) s += t[5];
      else if (t[1] === '/' && t[2] === tag) return unesc(s);
      else fail(`<${t[2]}> inside <${tag}>`);
    }
  };
  function value(t: RegExpMatchArray): PlistValue {
    if (t[5] !== undefined) return t[5].trim() ? fail(`text "${t[5].trim()}"`) : value(next());
    const [tag, empty] = [t[2]!, t[4] === '/'];
    switch (tag) {
      case 'true': case 'false': return tag === 'true';
      case 'string': return empty ? '' : textUntil(tag);
      case 'integer': case 'real': {
        const n = Number(textUntil(tag).trim());
        return Number.isFinite(n) ? n : fail(`<${tag}> not a number`);
      }
      case 'data': return Buffer.from(empty ? '' : textUntil(tag).replace(/\s+/g, ''), 'base64');
      case 'date': return new Date(textUntil(tag).trim());
      case 'array': {
        const out: PlistValue[] = [];
        if (empty) return out;
        for (let x = next(); !(x[1] === '/' && x[2] === 'array'); x = next()) if (x[5] === undefined || x[5].trim()) out.push(value(x));
        return out;
      }
      case 'dict': {
        const out: Record<string, PlistValue> = {};
        if (empty) return out;
        for (let x = next(); !(x[1] === '/' && x[2] === 'dict'); x = next()) {
          if (x[5] !== undefined && !x[5].trim()) continue;
          if (x[2] !== 'key' || x[1]) fail('<dict> entry without <key>');
          out[textUntil('key')] = value(next());
        }
        return out;
      }
      default: return fail(`<${tag}>`);
    }
  }
  let t = next();
  while (t[5] !== undefined && !t[5].trim()) t = next();
  if (t[2] !== 'plist') fail('no <plist>');
  return value(next());
}

// bplist00: objects, an offset table, and a 32-byte trailer (offset size, ref size, count, top, table offset).
const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);

/** Parses a binary plist (bplist00). */
export function parseBinaryPlist(buf: Buffer): PlistValue {
  if (buf.length < 40 || buf.toString('latin1', 0, 8) !== 'bplist00') throw new Error('bad plist: not bplist00');
  const t = buf.length - 32;
  const offSize = buf[t + 6]!;
  const refSize = buf[t + 7]!;
  const count = Number(buf.readBigUInt64BE(t + 8));
  const top = Number(buf.readBigUInt64BE(t + 16));
  const table = Number(buf.readBigUInt64BE(t + 24));
  const uint = (at: number, size: number): number => buf.readUIntBE(at, size);
  const offsetOf = (ref: number): number => (ref < count ? uint(table + ref * offSize, offSize) : Number.NaN);
  const read = (ref: number, depth: number): PlistValue => {
    if (depth > 64) throw new Error('bad plist: too deep');
    const at = offsetOf(ref);
    if (!(at >= 8 && at < t)) throw new Error('bad plist: object out of range');
    const marker = buf[at]!;
    const [hi, lo] = [marker >> 4, marker & 0xf];
    // Length: inline in the low nibble, or an int object after the marker when it is 0xF.
    const length = (): [number, number] => {
      if (lo !== 0xf) return [lo, at + 1];
      const size = 1 << (buf[at + 1]! & 0xf);
      return [Number(size === 8 ? buf.readBigUInt64BE(at + 2) : uint(at + 2, size)), at + 2 + size];
    };
    switch (hi) {
      case 0x0: return marker === 0x09;
      case 0x1: { const size = 1 << lo; return size === 8 ? Number(buf.readBigInt64BE(at + 1)) : uint(at + 1, size); }
      case 0x2: return lo === 2 ? buf.readFloatBE(at + 1) : buf.readDoubleBE(at + 1);
      case 0x3: return new Date(APPLE_EPOCH_MS + buf.readDoubleBE(at + 1) * 1000);
      case 0x4: { const [n, s] = length(); return Buffer.from(buf.subarray(s, s + n)); }
      case 0x5: { const [n, s] = length(); return buf.toString('latin1', s, s + n); }
      case 0x6: { const [n, s] = length(); return Buffer.from(buf.subarray(s, s + 2 * n)).swap16().toString('utf16le'); }
      case 0xa: { const [n, s] = length(); return Array.from({ length: n }, (_, k) => read(uint(s + k * refSize, refSize), depth + 1)); }
      case 0xd: {
        const [n, s] = length();
        const out: Record<string, PlistValue> = {};
        for (let k = 0; k < n; k++) out[String(read(uint(s + k * refSize, refSize), depth + 1))] = read(uint(s + (n + k) * refSize, refSize), depth + 1);
        return out;
      }
      default: throw new Error(`bad plist: marker 0x${marker.toString(16)}`);
    }
  };
  return read(top, 0);
}

/** Writes a binary plist (what iOS sends to /play). No object sharing: fine for small messages. */
export function toBinaryPlist(v: PlistValue): Buffer {
  const objects: Buffer[] = [];
  const head = (hi: number, n: number): Buffer => (n < 15 ? Buffer.from([(hi << 4) | n]) : Buffer.concat([Buffer.from([(hi << 4) | 0xf]), int(n)]));
  const int = (n: number): Buffer => {
    if (n >= 0 && n < 256) return Buffer.from([0x10, n]);
    if (n >= 0 && n < 65_536) return Buffer.from([0x11, n >> 8, n & 0xff]);
    if (n >= 0 && n < 2 ** 32) { const b = Buffer.alloc(5); b[0] = 0x12; b.writeUInt32BE(n, 1); return b; }
    const b = Buffer.alloc(9); b[0] = 0x13; b.writeBigInt64BE(BigInt(n), 1); return b;
  };
  // Refs are 2 bytes: enough for 65,535 objects, far beyond any AirPlay message.
  const refs = (list: number[]): Buffer => Buffer.concat(list.map((r) => Buffer.from([r >> 8, r & 0xff])));
  const add = (x: PlistValue): number => {
    const ref = objects.length;
    objects.push(Buffer.alloc(0));
    let b: Buffer;
    if (typeof x === 'boolean') b = Buffer.from([x ? 0x09 : 0x08]);
    else if (typeof x === 'number') {
      if (Number.isInteger(x)) b = int(x);
      else { b = Buffer.alloc(9); b[0] = 0x23; b.writeDoubleBE(x, 1); }
    } else if (typeof x === 'string') {
      const ascii = /^[\x00-\x7f]*$/.test(x);
      b = ascii ? Buffer.concat([head(0x5, x.length), Buffer.from(x, 'latin1')]) : Buffer.concat([head(0x6, x.length), Buffer.from(x, 'utf16le').swap16()]);
    } else if (Buffer.isBuffer(x)) b = Buffer.concat([head(0x4, x.length), x]);
    else if (x instanceof Date) { b = Buffer.alloc(9); b[0] = 0x33; b.writeDoubleBE((x.getTime() - APPLE_EPOCH_MS) / 1000, 1); }
    else if (Array.isArray(x)) { const r = x.map(add); b = Buffer.concat([head(0xa, r.length), refs(r)]); }
    else {
      const keys = Object.keys(x);
      const k = keys.map(add);
      const vals = keys.map((key) => add(x[key]!));
      b = Buffer.concat([head(0xd, keys.length), refs(k), refs(vals)]);
    }
    objects[ref] = b;
    return ref;
  };
  add(v);
  const offsets: number[] = [];
  let at = 8;
  for (const o of objects) (offsets.push(at), (at += o.length));
  const table = Buffer.alloc(offsets.length * 4);
  offsets.forEach((o, k) => table.writeUInt32BE(o, k * 4));
  const trailer = Buffer.alloc(32);
  trailer[6] = 4;
  trailer[7] = 2;
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(0n, 16);
  trailer.writeBigUInt64BE(BigInt(at), 24);
  return Buffer.concat([Buffer.from('bplist00', 'latin1'), ...objects, table, trailer]);
}
