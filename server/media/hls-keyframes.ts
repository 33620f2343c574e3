// Where a copied video stream can be cut: its keyframes, read with ffprobe from the packet index
// (no decoding, so fast even for a film), remembered per file version. A copied picture's HLS
// segments start on these (buildHlsCopyArgs in hls-args.ts), since nothing can force keyframes into it.
import { spawn } from 'node:child_process';

const cache = new Map<string, Promise<number[]>>();
const CACHE_MAX = 32;

/** Keyframe times (seconds, ascending) of the first video stream of `input`. `key` names the file version (path, size, mtime). */
export function keyframeTimes(ffprobePath: string, input: string, key: string): Promise<number[]> {
  const hit = cache.get(key);
  if (hit) return hit;
  const p = probe(ffprobePath, input);
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  return p;
}

function probe(ffprobePath: string, input: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', input];
    const child = spawn(ffprobePath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const times: number[] = [];
    let partial = '';
    let stderr = '';
    const line = (l: string) => {
      const [t, flags] = l.split(',');
      const v = Number(t);
      if (flags?.includes('K') && t !== 'N/A' && Number.isFinite(v)) times.push(v);
    };
    child.stdout!.on('data', (c: Buffer) => {
      const lines = (partial + c.toString('latin1')).split('\n');
      partial = lines.pop()!;
      lines.forEach(line);
    });
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-1000)));
    child.on('error', reject);
    child.on('close', (code) => {
      line(partial);
      if (code !== 0) return reject(new Error(`ffprobe: ${stderr.trim() || `exit ${code}`}`));
      // Packets come in decode order: sort, and drop repeats.
      resolve([...new Set(times)].sort((a, b) => a - b));
    });
  });
}

/** Segment start times for copied video: cut at the first keyframe at least `segmentSeconds` after the last cut. Starts at 0. */
export function copySegmentStarts(keyframes: number[], duration: number, segmentSeconds: number, minTail = 0.1): number[] {
  const starts = [0];
  for (const k of keyframes) if (k >= starts[starts.length - 1]! + segmentSeconds && k <= duration - minTail) starts.push(k);
  return starts;
}

/** Lengths of the segments that start at `starts`, the last one running to `duration`. */
export function lengthsFromStarts(starts: number[], duration: number): number[] {
  return starts.map((s, i) => (starts[i + 1] ?? duration) - s);
}
