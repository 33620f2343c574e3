import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jpegSize, photoForScreen } from '../../../../../receivers/airplay/video/jpeg.js';

const jpeg = (size: string, extra: string[] = []): Buffer =>
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=red:size=${size}`, '-frames:v', '1', ...extra, '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1']);

describe('photos for /photo', () => {
  it('reads a JPEG size from its SOF marker; nothing from other data', () => {
    expect(jpegSize(jpeg('640x480'))).toEqual({ width: 640, height: 480 });
    expect(jpegSize(Buffer.from('\x89PNG\r\n', 'latin1'))).toBeNull();
    expect(jpegSize(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
  });

  it('sends a JPEG within the screen as it is, a larger one scaled to fit (portrait too)', async () => {
    const small = jpeg('1920x1080');
    expect(await photoForScreen(small, { width: 1920, height: 1080 }, 'ffmpeg', 10_000)).toBe(small);
    const portrait = await photoForScreen(jpeg('1200x1600'), { width: 1920, height: 1080 }, 'ffmpeg', 10_000);
    expect(jpegSize(portrait)).toEqual({ width: 810, height: 1080 });
  });
});
