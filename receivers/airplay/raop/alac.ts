// ALAC "escape" (verbatim) frames: a stereo element header saying "not compressed", then every
// sample as 16 bits, big-endian bit order, L then R per frame, then the END tag. Any ALAC decoder
// takes them (shairport-sync's alac.c and Apple's decoder; the ALAC encoder itself emits such
// frames when compression does not pay), and they cost no CPU. Layout as in Apple's ALAC
// ALACEncoder.cpp EncodeStereoEscape; node_airtunes and OwnTone write the same.
import { FRAMES_PER_PACKET } from './clock.js';

const ID_CPE = 1; // channel pair element
const ID_END = 7;
export const PCM_BYTES_PER_PACKET = FRAMES_PER_PACKET * 4;

class BitWriter {
  private bit = 0;
  constructor(readonly buf: Buffer) {}

  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      if ((value >> i) & 1) this.buf[this.bit >> 3]! |= 0x80 >> (this.bit & 7);
      this.bit++;
    }
  }
}

class BitReader {
  private bit = 0;
  constructor(readonly buf: Buffer) {}

  read(bits: number): number {
    let v = 0;
    for (let i = 0; i < bits; i++) {
      v = (v << 1) | ((this.buf[this.bit >> 3]! >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return v;
  }
}

/** One packet of s16le interleaved stereo PCM (352 frames; shorter input is padded with silence). */
export function encodeEscapeFrame(pcm: Buffer): Buffer {
  if (pcm.length > PCM_BYTES_PER_PACKET) throw new Error(`PCM packet too long: ${pcm.length} bytes`);
  const out = Buffer.alloc(Math.ceil((23 + FRAMES_PER_PACKET * 32 + 3) / 8));
  const w = new BitWriter(out);
  w.write(ID_CPE, 3);
  w.write(0, 4); // element instance tag
  w.write(0, 12); // unused header bits
  w.write(0, 1); // partial frame: no, the default 352 frames follow
  w.write(0, 2); // bytes shifted
  w.write(1, 1); // escape: samples verbatim
  for (let i = 0; i < FRAMES_PER_PACKET * 2; i++) {
    const s = i * 2 + 1 < pcm.length ? pcm.readInt16LE(i * 2) : 0;
    w.write(s & 0xffff, 16);
  }
  w.write(ID_END, 3);
  return out;
}

/** The inverse, for tests and emulators: s16le interleaved stereo. */
export function decodeEscapeFrame(frame: Buffer): Buffer {
  const r = new BitReader(frame);
  if (r.read(3) !== ID_CPE) throw new Error('not a stereo ALAC element');
  r.read(4 + 12 + 1 + 2);
  if (r.read(1) !== 1) throw new Error('compressed ALAC frame: only escape frames are decoded here');
  const pcm = Buffer.alloc(PCM_BYTES_PER_PACKET);
  for (let i = 0; i < FRAMES_PER_PACKET * 2; i++) pcm.writeInt16LE((r.read(16) << 16) >> 16, i * 2);
  if (r.read(3) !== ID_END) throw new Error('ALAC frame without END tag');
  return pcm;
}
