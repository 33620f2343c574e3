// Pure parsing of an HTTP `Range` request header against a known size (RFC 9110 §14).
// Only the first step of byte serving: no I/O here, so every edge case is unit-tested.

export type RangeResult =
  | { kind: 'none' } // no header, another unit, or several ranges: answer 200 with the whole body
  | { kind: 'range'; start: number; end: number } // inclusive byte offsets, end < size
  | { kind: 'unsatisfiable' } // 416 with `Content-Range: bytes */size`
  | { kind: 'malformed' }; // 416 too (our choice; RFC 9110 would also allow ignoring it)

const spec = /^\s*(\d*)\s*-\s*(\d*)\s*$/;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'none' };
  const eq = header.indexOf('=');
  if (eq < 0) return { kind: 'malformed' };
  // A unit we do not know may be ignored (RFC 9110 §14.2).
  if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') return { kind: 'none' };
  const specs = header.slice(eq + 1).split(',');
  // Several ranges: we answer 200 with the whole file (ignoring Range is always allowed) rather
  // than multipart/byteranges, which no media player asks for.
  if (specs.length > 1) return specs.every((s) => spec.test(s)) ? { kind: 'none' } : { kind: 'malformed' };
  const m = spec.exec(specs[0] ?? '');
  if (!m) return { kind: 'malformed' };
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return { kind: 'malformed' };
  const first = a === '' ? undefined : Number(a);
  const last = b === '' ? undefined : Number(b);
  if ((first !== undefined && !Number.isSafeInteger(first)) || (last !== undefined && !Number.isSafeInteger(last))) {
    return { kind: 'malformed' };
  }
  if (first === undefined) {
    // Suffix form `bytes=-n`: the last n bytes (all of them if n >= size).
    const n = last as number;
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - n), end: size - 1 };
  }
  if (last !== undefined && last < first) return { kind: 'malformed' };
  if (first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start: first, end: last === undefined ? size - 1 : Math.min(last, size - 1) };
}
