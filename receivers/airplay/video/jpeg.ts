// Photos for `/photo`: the Apple TV takes JPEG only, and iOS sends it no larger than the screen
// (a 24-megapixel original is slow to send and to decode on an Apple TV 2/3). So: JPEGs that fit
// go byte for byte; anything else (another format, larger than the screen) is converted by ffmpeg,
// which also applies the EXIF orientation while decoding.
import { spawn } from 'node:child_process';

/** Width and height from a JPEG's first SOF marker (baseline, progressive, ...), or null. */
export function jpegSize(b: Buffer): { width: number; height: number } | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const len = b.readUInt16BE(at + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    at += 2 + len;
  }
  return null;
}

export interface Screen {
  width: number;
  height: number;
}

/** The photo as /photo should get it: the original when it is a JPEG within the screen, else converted. */
export async function photoForScreen(bytes: Buffer, screen: Screen, ffmpegPath: string, timeoutMs: number): Promise<Buffer> {
  const size = jpegSize(bytes);
  if (size && Math.max(size.width, size.height) <= Math.max(screen.width, screen.height) && Math.min(size.width, size.height) <= Math.min(screen.width, screen.height)) return bytes;
  return toJpeg(bytes, screen, ffmpegPath, timeoutMs);
}

function toJpeg(input: Buffer, screen: Screen, ffmpegPath: string, timeoutMs: number): Promise<Buffer> {
  const fit = `scale='min(${screen.width},iw)':'min(${screen.height},ih)':force_original_aspect_ratio=decrease`;
  const args = ['-v', 'error', '-i', 'pipe:0', '-frames:v', '1', '-vf', fit, '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    child.stdin.on('error', () => undefined); // ffmpeg may stop reading early
    child.on('error', (e) => reject(new Error(`cannot convert the photo to JPEG: ${e.message}`)));
    child.on('close', (code) => (code === 0 && out.length ? resolve(Buffer.concat(out)) : reject(new Error(`cannot convert the photo to JPEG: ${err.trim().split('\n').pop() || `ffmpeg exited ${code}`}`))));
    child.stdin.end(input);
  });
}
