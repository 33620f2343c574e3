// A video with two audio languages of different content, and a check of which one a stream carries:
// a 440 Hz tone tagged English (flagged default) and an 880 Hz tone tagged French; the tone of a
// stream is read from the zero crossings of its first audio stream, decoded by ffmpeg.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ffmpeg, patternInput, sineInput } from '../fixtures/ffmpeg.js';

const run = promisify(execFile);
export const ENGLISH_HZ = 440;
export const FRENCH_HZ = 880;

/** `mp4`: H.264 + AAC (a Chromecast plays it as is); `webm`: VP9 + Opus (Chromium does). */
export async function makeDubbedVideo(path: string, seconds: number, kind: 'mp4' | 'webm', title = 'Dubbed'): Promise<void> {
  const codecs = kind === 'mp4'
    ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart']
    : ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-c:a', 'libopus'];
  await ffmpeg([
    ...patternInput(160, 90, 5, seconds), ...sineInput(seconds, 48_000, ENGLISH_HZ), ...sineInput(seconds, 48_000, FRENCH_HZ),
    '-map', '0:v', '-map', '1:a', '-map', '2:a', ...codecs, '-ac', '2',
    '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fra', '-disposition:a:0', 'default', '-disposition:a:1', '0',
    '-metadata', `title=${title}`, path,
  ]);
}

/** The dominant frequency (Hz) of a stream's first audio stream: zero crossings of 2 s decoded as mono 16-bit at 16 kHz. */
export async function toneOf(url: string): Promise<number> {
  const rate = 16_000;
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', url, '-map', '0:a:0', '-t', '2', '-ac', '1', '-ar', String(rate), '-f', 's16le', 'pipe:1'], { encoding: 'buffer', maxBuffer: 16 << 20 });
  const samples = new Int16Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 2));
  const from = rate / 20; // past the encoder's priming
  let crossings = 0;
  for (let i = from + 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  return crossings / 2 / ((samples.length - from) / rate);
}
