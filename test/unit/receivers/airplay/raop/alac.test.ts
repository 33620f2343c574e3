import { describe, expect, it } from 'vitest';
import { decodeEscapeFrame, encodeEscapeFrame, PCM_BYTES_PER_PACKET } from '../../../../../receivers/airplay/raop/alac.js';

function pcm(frames: number, f: (i: number) => number): Buffer {
  const b = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames * 2; i++) b.writeInt16LE(f(i), i * 2);
  return b;
}

describe('escape ALAC frames', () => {
  it('carry every sample verbatim, extremes included', () => {
    const src = pcm(352, (i) => [32767, -32768, 0, -1, 1][i % 5]! + (i % 5 === 2 ? i : 0));
    expect(decodeEscapeFrame(encodeEscapeFrame(src)).equals(src)).toBe(true);
  });

  it('has the stereo escape header and END tag: 23 + 352·32 + 3 bits', () => {
    const f = encodeEscapeFrame(pcm(352, () => 0));
    expect(f.length).toBe(1412);
    expect(f[0]! >> 5).toBe(1); // ID_CPE
    expect(f[2]! & 0x02).toBe(0x02); // escape flag, the 23rd bit
    // END (0b111) right after the last sample bit (bit 11287 … 11289).
    expect((f[1410]! & 0x01) === 1 && (f[1411]! & 0xc0) === 0xc0).toBe(true);
  });

  it('pads a short last packet with silence', () => {
    const src = pcm(100, () => 1234);
    const out = decodeEscapeFrame(encodeEscapeFrame(src));
    expect(out.length).toBe(PCM_BYTES_PER_PACKET);
    expect(out.subarray(0, src.length).equals(src)).toBe(true);
    expect(out.subarray(src.length).every((b) => b === 0)).toBe(true);
  });
});
