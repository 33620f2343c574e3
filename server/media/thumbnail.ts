// Artwork thumbnails: made once with ffmpeg, kept on disk under <artDir>/thumbs/<size>/<hash>.jpg.
// Written to a temp name and renamed, so a reader never sees half a JPEG; concurrent requests
// for the same thumbnail share one ffmpeg. Remade when the original is newer than the thumbnail.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FfmpegArgs } from './transcode-args.js';
import { closeQuietly, fdPath, openInside } from './safe-open.js';
import { buildCommand } from './transcode.js';
import type { FfmpegSlots } from './ffmpeg-slots.js';

/** Pure: scale to fit a size×size box, never upscale, one JPEG frame. */
export function thumbnailArgs(size: number): FfmpegArgs {
  return {
    input: ['-hide_banner', '-nostdin', '-loglevel', 'error'],
    output: [
      '-map', '0:v:0',
      '-frames:v', '1',
      // Quotes are ffmpeg's own filter quoting (no shell): they keep min()'s comma inside.
      '-vf', `scale=w='min(${size},iw)':h='min(${size},ih)':force_original_aspect_ratio=decrease`,
      '-c:v', 'mjpeg', '-q:v', '3',
      '-f', 'mjpeg',
    ],
  };
}

export interface ThumbSource { hash: string; path: string; root: string }
export interface OpenedThumb { fd: number; stat: Stats }

export interface Thumbnailer {
  /** The thumbnail, opened (caller closes fd), made first if missing or stale. Rejects with `status` 403/404 if the original is unavailable. */
  open(src: ThumbSource, size: number): Promise<OpenedThumb>;
}

/** How long a thumbnail waits for a free ffmpeg slot before answering 503. */
const SLOT_WAIT_MS = 15_000;

export function createThumbnailer(opts: { artDir: string; ffmpegPath: string; slots: FfmpegSlots }): Thumbnailer {
  const inflight = new Map<string, Promise<void>>();
  const thumbsRoot = join(opts.artDir, 'thumbs');

  const make = async (srcFd: number, srcPath: string, size: number, target: string): Promise<void> => {
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const args = thumbnailArgs(size);
    const slot = await opts.slots.take(SLOT_WAIT_MS);
    if (!slot) throw Object.assign(new Error('no free ffmpeg slot'), { status: 503 });
    try {
      await new Promise<void>((resolve, reject) => {
        // ffmpeg reads the descriptor we checked (through /proc), not the path again.
        buildCommand(opts.ffmpegPath, fdPath(srcFd, srcPath), args)
          .output(tmp)
          .on('end', () => resolve())
          .on('error', (err: Error, _out, stderr) => reject(new Error(`${err.message} ${(stderr ?? '').trim().slice(-400)}`)))
          .run();
      });
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    } finally {
      slot.release();
    }
  };

  return {
    async open(src, size) {
      const target = join(thumbsRoot, String(size), `${src.hash}.jpg`);
      const original = await openInside(src.path, src.root);
      if (!original.ok) throw Object.assign(new Error(`artwork original: ${original.reason}`), { status: original.status });
      try {
        for (let attempt = 0; ; attempt++) {
          const thumb = await openInside(target, thumbsRoot);
          // Fresh if not older than its original (a clock-skewed original is accepted once remade).
          if (thumb.ok && (attempt > 0 || thumb.stat.mtimeMs >= original.stat.mtimeMs)) return { fd: thumb.fd, stat: thumb.stat };
          if (thumb.ok) closeQuietly(thumb.fd);
          if (attempt > 0) throw new Error('thumbnail missing after making it');
          let pending = inflight.get(target);
          if (!pending) {
            pending = make(original.fd, original.realPath, size, target).finally(() => inflight.delete(target));
            inflight.set(target, pending);
          }
          await pending;
        }
      } finally {
        closeQuietly(original.fd);
      }
    },
  };
}
