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
 * the machine hits every subject alike), and keeps the median and the best per subject, and each
 * round's runs (adjacent in time: their ratios are the fairest comparison on a loaded machine).
 */
export async function interleavedRuns<K extends string>(urls: Record<K, string>, range: string | undefined, rounds = 5): Promise<{ median: Record<K, Download>; best: Record<K, Download>; rounds: Array<Record<K, Download>> }> {
  const all: Array<Record<K, Download>> = [];
  for (let i = 0; i < rounds; i++) {
    const round = {} as Record<K, Download>;
    for (const [k, url] of Object.entries(urls) as Array<[K, string]>) round[k] = await download(url, range);
    all.push(round);
  }
  const pick = (f: (ds: Download[]) => Download) => Object.fromEntries((Object.keys(urls) as K[]).map((k) => [k, f(all.map((r) => r[k]))])) as Record<K, Download>;
  const sorted = (ds: Download[]) => [...ds].sort((a, b) => a.bytesPerSec - b.bytesPerSec);
  return { median: pick((ds) => sorted(ds)[Math.floor(ds.length / 2)]!), best: pick((ds) => sorted(ds).at(-1)!), rounds: all };
}

/** The median per subject of `rounds` interleaved runs. */
export async function interleavedMedians<K extends string>(urls: Record<K, string>, range: string | undefined, rounds = 5): Promise<Record<K, Download>> {
  return (await interleavedRuns(urls, range, rounds)).median;
}
