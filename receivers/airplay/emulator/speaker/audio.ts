// The audio a RAOP sender announces (ANNOUNCE's SDP) and its payloads turned back into PCM:
// big-endian L16, and ALAC "escape" (verbatim) frames, with or without the 32-bit frame count
// that PulseAudio writes (its "Hassize" bit, raop-client.c write_ALAC_data). Compressed ALAC, as
// iTunes sends it, is not decoded here: such packets count as undecodable and play as silence.
import type { SpeakerCodec } from './events.js';

export interface StreamFormat {
  codec: SpeakerCodec;
  framesPerPacket: number;
}

/** What the SDP asks for, or why we cannot play it (encrypted, AAC, not 44.1/16/2). */
export function parseSdp(sdp: string): StreamFormat | { refused: string } {
  const attr = (name: string): string | undefined => new RegExp(`^a=${name}:(.*)$`, 'm').exec(sdp)?.[1]?.trim();
  if (attr('rsaaeskey') !== undefined || attr('fpaeskey') !== undefined) return { refused: 'encrypted streams are not supported (advertised et=0)' };
  const rtpmap = attr('rtpmap');
  if (!rtpmap) return { refused: 'no a=rtpmap in the SDP' };
  const enc = rtpmap.replace(/^\d+\s+/, '');
  if (/^AppleLossless/i.test(enc)) {
    // fmtp: <pt> frameLength compatVersion bitDepth pb mb kb numChannels maxRun maxFrameBytes avgBitRate sampleRate
    const f = (attr('fmtp') ?? '').split(/\s+/).slice(1).map(Number);
    const [frameLength = 352, , bitDepth = 16, , , , channels = 2, , , , rate = 44100] = f;
    if (bitDepth !== 16 || channels !== 2 || rate !== 44100) return { refused: `ALAC ${bitDepth} bit, ${channels} channels, ${rate} Hz: only 16/2/44100` };
    return { codec: 'alac', framesPerPacket: frameLength > 0 && frameLength <= 4096 ? frameLength : 352 };
  }
  const l16 = /^L16\/(\d+)(?:\/(\d+))?/i.exec(enc);
  if (l16) {
    if (l16[1] !== '44100' || (l16[2] ?? '1') !== '2') return { refused: `${enc}: only L16/44100/2` };
    return { codec: 'pcm', framesPerPacket: 352 };
  }
  return { refused: `codec "${enc}" is not supported (ALAC or L16 only)` };
}

/** s16le from big-endian L16. */
export function decodeL16(payload: Buffer): Buffer {
  const n = payload.length - (payload.length % 4);
  return Buffer.from(payload.subarray(0, n)).swap16();
}

/** The 16 bits starting at bit `bit` of `b` (big-endian bit order). */
function bits16(b: Buffer, bit: number): number {
  const i = bit >> 3;
  const s = bit & 7;
  const v = ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
  return (v >> (8 - s)) & 0xffff;
}

function bitsN(b: Buffer, bit: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 2 + (((b[(bit + k) >> 3] ?? 0) >> (7 - ((bit + k) & 7))) & 1);
  return v;
}

/**
 * s16le from one ALAC escape frame of a stereo element (CPE): 3-bit tag, 4-bit instance, 12 unused
 * bits, partial-frame bit (then a 32-bit frame count), 2-bit shift, escape bit, then the samples
 * verbatim, L and R per frame. Undefined for anything else (compressed frames).
 */
export function decodeAlacEscape(frame: Buffer, framesPerPacket: number): Buffer | undefined {
  if (frame.length < 3) return undefined;
  if (bitsN(frame, 0, 3) !== 1) return undefined; // not a channel pair element
  const partial = bitsN(frame, 19, 1) === 1;
  const shift = bitsN(frame, 20, 2);
  const escape = bitsN(frame, 22, 1) === 1;
  if (!escape || shift !== 0) return undefined;
  let bit = 23;
  let frames = framesPerPacket;
  if (partial) {
    frames = bitsN(frame, bit, 32);
    bit += 32;
  }
  if (frames <= 0 || bit + frames * 32 > frame.length * 8) return undefined;
  const pcm = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames * 2; i++, bit += 16) pcm.writeUInt16LE(bits16(frame, bit), i * 2);
  return pcm;
}

export function decodePayload(format: StreamFormat, payload: Buffer): Buffer | undefined {
  return format.codec === 'pcm' ? decodeL16(payload) : decodeAlacEscape(payload, format.framesPerPacket);
}
