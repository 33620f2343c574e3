// A 1 GiB file the scanner accepts: a WAV header (PCM, 44.1 kHz, 16-bit stereo) over a repeated
// 1 MiB block of random bytes (noise: real bytes on disk, nothing sparse or compressible).
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';

function wavHeader(total: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(total - 8, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(2, 22); // channels
  h.writeUInt32LE(44100, 24);
  h.writeUInt32LE(44100 * 4, 28); // byte rate
  h.writeUInt16LE(4, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(total - 44, 40);
  return h;
}

export async function writeBigWav(path: string, total = 1 << 30): Promise<void> {
  const block = randomBytes(1 << 20);
  const fh = await open(path, 'w');
  try {
    await fh.write(wavHeader(total));
    for (let left = total - 44; left > 0; left -= block.length) await fh.write(block, 0, Math.min(left, block.length));
  } finally {
    await fh.close();
  }
}
