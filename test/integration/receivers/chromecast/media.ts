// Media the emulator tests need beyond the shared fixtures (which are 3 s long): a 30 s H.264/AAC
// MP4 to pause and seek in, a 40 MB one at 8 Mbit/s to see that the emulator reads at the media's
// pace, HEVC/AAC in MP4, and fixtures remuxed into MP4 (to test codecs apart from containers).
// Made with ffmpeg into a temporary folder (~1 s, ~2.5 s, ~1 s, instant on 2 cores).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestMedia {
  dir: string;
  /** 30 s, 320x240 25 fps H.264 High + AAC stereo, faststart. */
  long: string;
  /** 40 s at 8 Mbit/s (noise), when asked for. */
  heavy: string | null;
  /** 3 s HEVC Main (hvc1) + AAC in MP4, when asked for. */
  hevc: string | null;
  remove(): void;
}

const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'];

export async function makeTestMedia(opts: { heavy?: boolean; hevc?: boolean; copy?: string[]; hevcToMp4?: string[] } = {}): Promise<TestMedia> {
  const dir = mkdtempSync(join(tmpdir(), 'hc-cast-media-'));
  const long = join(dir, 'long.mp4');
  const jobs = [
    run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '30', ...x264, long]),
  ];
  const heavy = opts.heavy ? join(dir, 'heavy.mp4') : null;
  if (heavy) {
    jobs.push(run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=gray:s=320x240:r=25,noise=alls=100:allf=t', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
      '-t', '40', '-b:v', '8M', '-maxrate', '8M', '-bufsize', '4M', ...x264, heavy]));
  }
  const hevc = opts.hevc ? join(dir, 'hevc.mp4') : null;
  if (hevc) {
    jobs.push(run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '3',
      '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', hevc]));
  }
  // HEVC sources: video and audio as they are (with the hvc1 tag Apple and Cast expect), subtitles left out.
  for (const f of opts.hevcToMp4 ?? []) {
    const to = join(dir, `${basename(f).replace(/\.[^.]+$/, '')}.mp4`);
    jobs.push(run('ffmpeg', ['-v', 'error', '-y', '-i', f, '-map', '0:v', '-map', '0:a', '-c', 'copy', '-tag:v', 'hvc1', '-movflags', '+faststart', to]));
  }
  await Promise.all(jobs);
  for (const f of opts.copy ?? []) copyFileSync(f, join(dir, basename(f)));
  return { dir, long, heavy, hevc, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
