// Ogg pages (RFC 3533) as far as Opus through ffmpeg's pipes needs them: reading the packets of
// ffmpeg's Ogg Opus output (the encoder), writing one page per packet for its input (the decoder).
// Opus in Ogg: RFC 7845 (OpusHead with its pre-skip, OpusTags).

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function crc(b: Buffer): number {
  let c = 0;
  for (const x of b) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ x) & 0xff]!) >>> 0;
  return c;
}

/** Splits a byte stream of Ogg pages into packets (continued packets joined). */
export class OggReader {
  private buf = Buffer.alloc(0);
  private partial: Buffer[] = [];

  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (this.buf.length < 27) break;
      if (this.buf.toString('latin1', 0, 4) !== 'OggS') throw new Error('Ogg: lost page sync');
      const segments = this.buf[26]!;
      if (this.buf.length < 27 + segments) break;
      const lacing = this.buf.subarray(27, 27 + segments);
      const body = lacing.reduce((a, x) => a + x, 0);
      const end = 27 + segments + body;
      if (this.buf.length < end) break;
      let at = 27 + segments;
      for (const len of lacing) {
        this.partial.push(this.buf.subarray(at, at + len));
        at += len;
        if (len < 255) {
          out.push(Buffer.concat(this.partial));
          this.partial = [];
        }
      }
      this.buf = this.buf.subarray(end);
    }
    return out;
  }
}

/** Writes packets as Ogg pages, one packet a page. */
export class OggWriter {
  private seq = 0;
  private readonly serial = (Math.random() * 0x7fffffff) | 0;

  page(packet: Buffer, granule: bigint, flags = 0): Buffer {
    const lacing: number[] = [];
    let n = packet.length;
    while (n >= 255) {
      lacing.push(255);
      n -= 255;
    }
    lacing.push(n);
    const h = Buffer.alloc(27 + lacing.length);
    h.write('OggS', 0, 'latin1');
    h[5] = flags;
    h.writeBigInt64LE(granule, 6);
    h.writeUInt32LE(this.serial, 14);
    h.writeUInt32LE(this.seq++, 18);
    h[26] = lacing.length;
    Buffer.from(lacing).copy(h, 27);
    const page = Buffer.concat([h, packet]);
    page.writeUInt32LE(crc(page), 22);
    return page;
  }

  /** OpusHead (pre-skip 0: Cast RTP carries no pre-skip; the sender shifted its timestamps) and OpusTags. */
  opusHeaders(channels: number, rate: number): Buffer {
    const head = Buffer.alloc(19);
    head.write('OpusHead', 0, 'latin1');
    head[8] = 1;
    head[9] = channels;
    head.writeUInt16LE(0, 10);
    head.writeUInt32LE(rate, 12);
    const vendor = Buffer.from('homecast');
    const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
    tags.write('OpusTags', 0, 'latin1');
    tags.writeUInt32LE(vendor.length, 8);
    vendor.copy(tags, 12);
    return Buffer.concat([this.page(head, 0n, 2), this.page(tags, 0n)]);
  }
}

/** The pre-skip (48 kHz samples) of an OpusHead packet. */
export function opusPreSkip(head: Buffer): number {
  if (head.length < 19 || head.toString('latin1', 0, 8) !== 'OpusHead') throw new Error('not an OpusHead packet');
  return head.readUInt16LE(10);
}
