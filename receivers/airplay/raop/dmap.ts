// DMAP ("application/x-dmap-tagged"), the tagged binary format of iTunes' DAAP, as far as RAOP
// track info needs it: each item is a 4-character tag, a 32-bit big-endian length and the value;
// a container's value is its items. shairport-sync 3.3.8 (rtsp.c handle_set_parameter_metadata)
// skips the 8-byte container header and passes every item inside on as 'core' metadata.

export type DmapValue = string | number | Buffer | DmapItem[];
export interface DmapItem {
  tag: string;
  value: DmapValue;
}

/** What a speaker's display shows: `minm`, `asar`, `asal`. */
export interface TrackInfo {
  title: string;
  artist?: string;
  album?: string;
}

function valueBytes(v: DmapValue): Buffer {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'number') {
    // DMAP integers are sized by their tag; RAOP only needs 32-bit unsigned ones.
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    return b;
  }
  return Buffer.concat(v.map(dmapItem));
}

export function dmapItem({ tag, value }: DmapItem): Buffer {
  if (!/^[\x20-\x7e]{4}$/.test(tag)) throw new Error(`DMAP tag must be 4 ASCII characters: "${tag}"`);
  const data = valueBytes(value);
  const head = Buffer.alloc(8);
  head.write(tag, 0, 'latin1');
  head.writeUInt32BE(data.length, 4);
  return Buffer.concat([head, data]);
}

/** The `mlit` (listing item) body of a track-info SET_PARAMETER; absent fields are left out. */
export function dmapListingItem(info: TrackInfo): Buffer {
  const items: DmapItem[] = [{ tag: 'minm', value: info.title }];
  if (info.artist) items.push({ tag: 'asar', value: info.artist });
  if (info.album) items.push({ tag: 'asal', value: info.album });
  return dmapItem({ tag: 'mlit', value: items });
}

/** Parses a DMAP byte string into items (containers are left as raw bytes). */
export function parseDmap(b: Buffer): { tag: string; value: Buffer }[] {
  const out: { tag: string; value: Buffer }[] = [];
  let off = 0;
  while (off + 8 <= b.length) {
    const len = b.readUInt32BE(off + 4);
    if (off + 8 + len > b.length) throw new Error(`DMAP item ${b.toString('latin1', off, off + 4)} overruns its buffer`);
    out.push({ tag: b.toString('latin1', off, off + 4), value: b.subarray(off + 8, off + 8 + len) });
    off += 8 + len;
  }
  if (off !== b.length) throw new Error('DMAP: trailing bytes');
  return out;
}
