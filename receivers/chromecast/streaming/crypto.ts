// Per-frame AES-128-CTR of Cast Streaming (Open Screen cast/streaming/frame_crypto.cc
// FrameCrypto::EncryptCommon): the whole encoded frame, before packetizing; the counter block is
// 16 zero bytes with the frame id's low 32 bits big-endian at bytes 8..11, XOR the aesIvMask, a
// fresh counter per frame. CTR is symmetric: decrypting is encrypting again.
import { createCipheriv, randomBytes } from 'node:crypto';

export class FrameCrypto {
  constructor(
    private readonly key: Buffer,
    private readonly ivMask: Buffer,
  ) {
    if (key.length !== 16 || ivMask.length !== 16) throw new Error('AES key and IV mask must be 16 bytes each');
  }

  static random(): FrameCrypto {
    return new FrameCrypto(randomBytes(16), randomBytes(16));
  }

  /** As the OFFER carries them (32 hex digits each). */
  get aesKeyHex(): string {
    return this.key.toString('hex');
  }

  get aesIvMaskHex(): string {
    return this.ivMask.toString('hex');
  }

  /** Encrypts (or decrypts) one frame. */
  apply(frameId: number, data: Buffer): Buffer {
    const nonce = Buffer.alloc(16);
    nonce.writeUInt32BE(frameId >>> 0, 8);
    for (let i = 0; i < 16; i++) nonce[i]! ^= this.ivMask[i]!;
    const c = createCipheriv('aes-128-ctr', this.key, nonce);
    return Buffer.concat([c.update(data), c.final()]);
  }
}
