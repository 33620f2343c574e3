// Streaming throughput of a 1 GiB file on loopback (256 MiB in the whole run, to stay within its
// 10 minutes; 1 GiB with --only stream): our signed stream URL vs nginx (sendfile) serving the same
// file, whole (5 interleaved curl runs, each round's ratio in the note) and as a byte range of half
// (3 runs); plus a plain Node createReadStream server (1 MiB reads), Node's own streams.
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBigWav } from './lib/big-file.js';
import { childrenOf, cpuOver } from './lib/cpu.js';
import { interleavedRuns, type Download } from './lib/curl.js';
import { startNginx } from './lib/nginx.js';
import { getJson } from './lib/net.js';
import { startOurs, waitScanFinished, type OurServer } from './lib/ours.js';
import { start, type Tracked } from './lib/proc.js';
import type { Row } from './lib/table.js';

let SIZE = 1 << 30;
type Pair = { full: Download; range: Download };
const plainServer = fileURLToPath(new URL('./lib/plain-server.js', import.meta.url));

async function ourStreamUrl(s: OurServer): Promise<string> {
  await waitScanFinished(s, 'Stream', 120_000);
  const { status, body } = await getJson<{ items?: Array<{ streamUrl?: string }> }>(`${s.url}/api/library/tracks`);
  const rel = body?.items?.[0]?.streamUrl;
  if (!rel) throw new Error(`GET /api/library/tracks gave ${status} without items[0].streamUrl`);
  return new URL(rel, s.url + '/').href;
}

/** Whether a download returned what was asked; else a note. */
function check(who: string, d: Download, range: boolean): string[] {
  const want = range ? { status: 206, bytes: SIZE / 2 } : { status: 200, bytes: SIZE };
  return d.status === want.status && d.bytes === want.bytes ? [] : [`${who} answered ${d.status} with ${d.bytes} bytes (want ${want.status}, ${want.bytes})`];
}

export async function benchStream(work: string, progress: (s: string) => void, full = false): Promise<Row[]> {
  SIZE = full ? 1 << 30 : 1 << 28;
  const label = full ? '1 GiB' : '256 MiB';
  const lib = join(work, 'stream-lib');
  await mkdir(lib, { recursive: true });
  // nginx workers run as an unprivileged user: let them through the (mode 0700) temp folder.
  await Promise.all([chmod(work, 0o755), chmod(lib, 0o755)]);
  progress(`stream: writing a ${label} file`);
  await writeBigWav(join(lib, 'big.wav'), SIZE);
  const running: Tracked[] = [];
  try {
    const nginx = await startNginx(lib, join(work, 'nginx'));
    running.push(nginx.proc);
    const plain = start('plain node server', process.execPath, [plainServer, join(lib, 'big.wav'), String(1 << 20)]);
    running.push(plain);
    const plainUrl = `http://127.0.0.1:${/port=(\d+)/.exec((await plain.waitFor(/listening port=/, 10_000)).line)![1]}/big.wav`;

    let oursUrl: string | null = null;
    let oursPid = plain.pid;
    let oursWhy = '';
    try {
      await mkdir(join(work, 'stream-data'), { recursive: true });
      const ours = await startOurs(join(work, 'stream-data'), [{ name: 'Stream', path: lib, kind: 'music' }]);
      running.push(ours.proc);
      oursUrl = await ourStreamUrl(ours);
      oursPid = ours.proc.pid;
    } catch (err) {
      oursWhy = (err as Error).message.split('\n')[0]!;
    }
    // TODO(stream): when our server cannot give a stream URL, the plain Node server stands in for it.
    const subject = oursUrl ?? plainUrl;
    const oursName = oursUrl ? undefined : 'stand-in: plain Node server';
    const mbps = (d: Download) => d.bytesPerSec / 1e6;
    progress('stream: whole file, 5 rounds');
    const urls = { nginx: `${nginx.url}/big.wav`, ours: subject, plain: plainUrl };
    // CPU seconds each server spends per GiB sent (its own process and workers): what load elsewhere
    // does not change, unlike MB/s, which is the share of the CPU a download happened to get.
    const cpu = { nginx: cpuOver([nginx.proc.pid, ...childrenOf(nginx.proc.pid)]), ours: cpuOver([oursPid]), plain: cpuOver([plain.pid]) };
    const fullRuns = await interleavedRuns(urls, undefined);
    const perGiB = (c: { stop(): number }) => c.stop() / 1000 / ((5 * SIZE) / (1 << 30));
    const [cpuNginx, cpuOurs, cpuPlain] = [perGiB(cpu.nginx), perGiB(cpu.ours), perGiB(cpu.plain)];
    const full = fullRuns.median;
    progress('stream: range, 3 rounds');
    const range = (await interleavedRuns(urls, `0-${SIZE / 2 - 1}`, 3)).median;
    // Load elsewhere only ever slows a download: the best of 5 is the steadiest figure of each
    // server; each round's ours/nginx (run next to each other) shows the spread.
    const perRound = fullRuns.rounds.map((r) => r.ours.bytesPerSec / r.nginx.bytesPerSec);
    const spread = `ours/nginx per round (adjacent runs) ${perRound.map((x) => x.toFixed(2)).join(', ')}×`;
    const [n, o, p] = (['nginx', 'ours', 'plain'] as const).map((k) => ({ full: full[k], range: range[k] })) as [Pair, Pair, Pair];
    const problems = [
      ...(oursUrl ? [] : [`our server gave no stream URL (${oursWhy}): a plain Node server stood in`]),
      ...check('ours', o.full, false), ...check('ours', o.range, true), ...check('nginx', n.full, false), ...check('nginx', n.range, true),
    ];
    return [
      { section: 'stream', metric: `${label} file, whole, median of 5`, unit: 'MB/s', better: 'higher', ours: mbps(o.full), oursName, ref: mbps(n.full), refName: 'nginx sendfile', note: [spread, ...problems].join('; ') },
      { section: 'stream', metric: `${label} file, whole, best of 5`, unit: 'MB/s', better: 'higher', ours: mbps(fullRuns.best.ours), oursName, ref: mbps(fullRuns.best.nginx), refName: 'nginx sendfile' },
      { section: 'stream', metric: `${label} file, range of its first half, median of 3`, unit: 'MB/s', better: 'higher', ours: mbps(o.range), oursName, ref: mbps(n.range), refName: 'nginx sendfile' },
      { section: 'stream', metric: 'CPU per GiB sent, whole file (load-proof)', unit: 's', better: 'lower', ours: cpuOurs, oursName, ref: cpuNginx, refName: 'nginx sendfile', note: `plain Node (createReadStream, 1 MiB reads): ${cpuPlain.toFixed(2)} s per GiB` },
      { section: 'stream', metric: `${label} file, whole, median of 5`, unit: 'MB/s', better: 'higher', ours: mbps(p.full), oursName: 'plain Node, 1 MiB reads', ref: mbps(n.full), refName: 'nginx sendfile' },
    ];
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
}
