// Download speed with curl to /dev/null (no proxy, loopback only).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface Download {
  bytesPerSec: number;
  bytes: number;
  status: number;
}

export async function download(url: string, range?: string): Promise<Download> {
  const args = ['-s', '--noproxy', '*', '-o', '/dev/null', '-w', '%{speed_download} %{size_download} %{http_code}', ...(range ? ['-r', range] : []), url];
  const { stdout } = await execFileP('curl', args, { timeout: 120_000 });
  const [speed, size, code] = stdout.trim().split(' ').map(Number);
  return { bytesPerSec: speed!, bytes: size!, status: code! };
}

/**
 * Downloads from each subject in turn, `rounds` times (interleaved, so a burst of load elsewhere on
 * the machine hits every subject alike), and keeps the median per subject.
 */
export async function interleavedMedians<K extends string>(urls: Record<K, string>, range: string | undefined, rounds = 5): Promise<Record<K, Download>> {
  const runs = new Map<K, Download[]>();
  for (let i = 0; i < rounds; i++) {
    for (const [k, url] of Object.entries(urls) as Array<[K, string]>) runs.set(k, [...(runs.get(k) ?? []), await download(url, range)]);
  }
  const median = (ds: Download[]) => [...ds].sort((a, b) => a.bytesPerSec - b.bytesPerSec)[Math.floor(ds.length / 2)]!;
  return Object.fromEntries([...runs].map(([k, ds]) => [k, median(ds)])) as Record<K, Download>;
}
