// Probes one file by kind and finds its artwork. Runs inside a worker thread (or inline
// when workers are off); never throws: a file that cannot be read is a result with a reason.
import { relative, sep } from 'node:path';
import { FolderArtFinder, sha1, storeArt } from './art-store.js';
import { probeAudio } from './probe-audio.js';
import { grabFrame, probeVideo } from './probe-video.js';
import { openRegular } from './open-regular.js';
import type { ProbeJob, ProbeResult } from './probe-types.js';

export interface ProbeContext {
  artDir: string;
  ffmpegPath: string;
  ffprobePath: string;
}

export interface LibraryProbeJob extends ProbeJob {
  root: string;
}

export function createProber(ctx: ProbeContext): (job: LibraryProbeJob) => Promise<ProbeResult> {
  const folderArt = new FolderArtFinder();
  return async (job) => {
    // Opened (never blocking) and checked first: a file deleted since the walk costs one failed
    // open, not a parser and an ffprobe; a FIFO swapped in is refused, not read.
    const opened = await openRegular(job.path);
    if (!opened.ok) return { ok: false, error: opened.gone ? 'gone: deleted during the scan' : opened.error, ...(opened.gone ? { gone: true } : {}) };
    const read = opened.readPath;
    try {
      if (job.kind === 'audio') {
        const depth = relative(job.root, job.path).split(sep).length;
        const { info, picture, tagError } = await probeAudio(job.path, depth, opened.size, ctx.ffprobePath, read);
        const art = picture ? await storeArt(ctx.artDir, picture.data, picture.mime, 'embedded') : await folderArt.find(job.path);
        return { ok: true, kind: 'audio', info, art, ...(tagError ? { warning: `tags unreadable (${tagError}): named from the file path` } : {}) };
      }
      if (job.kind === 'video') {
        const info = await probeVideo(job.path, ctx.ffprobePath, read);
        let art = await folderArt.find(job.path);
        if (!art && info.videoCodec) {
          const frame = await grabFrame(job.path, info.duration, ctx.ffmpegPath, read);
          if (frame) art = await storeArt(ctx.artDir, frame, 'image/jpeg', 'frame');
        }
        return { ok: true, kind: 'video', info, art };
      }
      // Loaded on first use: exifr is large, and most scans are music.
      const { probePhoto } = await import('./probe-photo.js');
      const info = await probePhoto(job.path, read);
      // The photo is its own artwork; thumbnails are made on demand from the file in place.
      const art = { hash: sha1(`photo:${job.path}:${job.size}:${job.mtimeMs}`), mime: 'image/jpeg', path: job.path, source: 'photo' as const };
      return { ok: true, kind: 'photo', info, art };
    } catch (err) {
      return { ok: false, error: describe(err) };
    } finally {
      await opened.close().catch(() => {});
    }
  };
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').trim().slice(0, 300) || 'unreadable file';
}
