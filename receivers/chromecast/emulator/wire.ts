// CASTV2 framing: a UInt32BE length, then a protobuf CastMessage (cast_channel.proto, proto2):
//   1 protocol_version (enum, CASTV2_1_0 = 0)  2 source_id  3 destination_id  4 namespace
//   5 payload_type (enum, STRING = 0, BINARY = 1)  6 payload_utf8  7 payload_binary
// Seven fields do not need protobufjs; a hand codec also lets a bad frame close one socket
// instead of throwing inside a stream handler.

export interface CastMessage {
  protocolVersion: number;
  sourceId: string;
  destinationId: string;
  namespace: string;
  /** Text payload (every namespace but deviceauth). */
  payloadUtf8?: string;
  payloadBinary?: Buffer;
}

/** Receivers reject bigger messages [lopopolo/punchtop cast-client README]. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function field(no: number, value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([Buffer.from([(no << 3) | 2, ...varint(bytes.length)]), bytes]);
}

export function encodeMessage(m: CastMessage): Buffer {
  const binary = m.payloadBinary !== undefined;
  const parts = [
    Buffer.from([1 << 3, ...varint(m.protocolVersion)]),
    field(2, m.sourceId),
    field(3, m.destinationId),
    field(4, m.namespace),
    Buffer.from([5 << 3, binary ? 1 : 0]),
    binary ? field(7, m.payloadBinary!) : field(6, m.payloadUtf8 ?? ''),
  ];
  return Buffer.concat(parts);
}

/** Throws on a malformed message. */
export function decodeMessage(buf: Buffer): CastMessage {
  const m: CastMessage = { protocolVersion: -1, sourceId: '', destinationId: '', namespace: '' };
  let i = 0;
  const readVarint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
      if (mul > 2 ** 49) throw new Error('varint too long');
    }
  };
  while (i < buf.length) {
    const key = readVarint();
    const no = Math.floor(key / 8);
    const type = key & 7;
    if (type === 0) {
      const v = readVarint();
      if (no === 1) m.protocolVersion = v;
    } else if (type === 2) {
      const len = readVarint();
      if (i + len > buf.length) throw new Error('truncated field');
      const bytes = buf.subarray(i, i + len);
      i += len;
      if (no === 2) m.sourceId = bytes.toString('utf8');
      else if (no === 3) m.destinationId = bytes.toString('utf8');
      else if (no === 4) m.namespace = bytes.toString('utf8');
      else if (no === 6) m.payloadUtf8 = bytes.toString('utf8');
      else if (no === 7) m.payloadBinary = Buffer.from(bytes);
    } else if (type === 5) i += 4;
    else if (type === 1) i += 8;
    else throw new Error(`unsupported wire type ${type}`);
  }
  if (m.protocolVersion < 0 || !m.namespace) throw new Error('missing required field');
  return m;
}

export function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** Splits a byte stream into frame payloads. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Returns the complete payloads so far; throws when a frame announces more than MAX_MESSAGE_BYTES. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_MESSAGE_BYTES) throw new Error(`frame of ${len} bytes is over the 64 KB limit`);
      if (this.buf.length < 4 + len) break;
      out.push(this.buf.subarray(4, 4 + len));
      this.buf = this.buf.subarray(4 + len);
    }
    return out;
  }
}
