// Search as the remote sends it while someone types: every prefix of a few artist, album and
// title words, over HTTP on loopback, against tracks, albums and artists. The figure is the p95
// of the answer times (first 50 rows and the total), beside the target of 50 ms.
// Starting the server on `dataDir` scans first (quick on a library scanned before).
import { bigLibraryEntry } from '../fixtures/big-library.js';
import { percentile } from '../helpers/stats.js';
import { startOurs, waitScanFinished } from './lib/ours.js';
import type { Row } from './lib/table.js';

const LIB = 'Bench';
const TARGET_MS = 50;

/** What someone types, one character at a time, looking for a few items spread over the library. */
function typedQueries(files: number, artists: number): string[] {
  const out: string[] = [];
  for (const i of [0, Math.floor(files / 3), Math.floor((2 * files) / 3), files - 1]) {
    const e = bigLibraryEntry(i, { files, artists });
    for (const word of [e.artist, e.album, e.title]) for (let n = 1; n <= word.length; n++) out.push(word.slice(0, n));
  }
  return [...out, 'nothing like this', 'zz'];
}

export async function benchSearch(tree: string, dataDir: string, files: number, artists: number, progress: (s: string) => void): Promise<Row[]> {
  const s = await startOurs(dataDir, [{ name: LIB, path: tree, kind: 'music' }]);
  try {
    await waitScanFinished(s, LIB, 600_000);
    const queries = typedQueries(files, artists);
    progress(`search: ${queries.length} typed prefixes × tracks, albums, artists`);
    const ms: number[] = [];
    let worst = { ms: 0, what: '' };
    for (const kind of ['tracks', 'albums', 'artists']) {
      for (const q of queries) {
        const t0 = performance.now();
        const res = await fetch(`${s.url}/api/library/${kind}?limit=50&q=${encodeURIComponent(q)}`);
        if (!res.ok) throw new Error(`${kind}?q=${q}: HTTP ${res.status}`);
        await res.arrayBuffer();
        const took = performance.now() - t0;
        ms.push(took);
        if (took > worst.ms) worst = { ms: took, what: `${kind}?q=${q}` };
      }
    }
    return [
      {
        section: 'search', metric: `answer to a typed prefix, ${files} tracks, p95 of ${ms.length}`, unit: 'ms', better: 'lower',
        ours: percentile(ms, 95), ref: TARGET_MS, refName: 'issue target',
        note: `median ${percentile(ms, 50).toFixed(1)} ms; slowest ${worst.ms.toFixed(1)} ms (${worst.what})`,
      },
    ];
  } finally {
    await s.proc.stop();
  }
}
