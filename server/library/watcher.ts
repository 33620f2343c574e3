// Watches the library folders while the server runs: changes are gathered for a moment,
// then only the touched files and folders are rescanned. chokidar waits until a copied file
// stops growing, so a half-written file is not probed.
import { watch, type FSWatcher } from 'chokidar';
import { basename, dirname } from 'node:path';
import type { LibraryConfig } from '../config/schema.js';
import type { Logger } from '../util/log.js';
import type { Scanner } from './scanner.js';

const settleMs = 300;

export function watchLibraries(libraries: LibraryConfig[], scanner: Scanner, log: Logger): { close(): Promise<void>; ready: Promise<void> } {
  const watchers: FSWatcher[] = [];
  const readies: Promise<void>[] = [];
  for (const lib of libraries) {
    const dirty = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const paths = collapse([...dirty]);
      dirty.clear();
      for (const p of paths) scanner.scanPath(lib, p).catch((err: Error) => log.error('rescan failed', { library: lib.name, path: p, reason: err.message }));
    };
    const touch = (path: string) => {
      dirty.add(path);
      timer ??= setTimeout(flush, settleMs);
    };
    const w = watch(lib.path, {
      ignoreInitial: true,
      ignored: (path) => basename(path).startsWith('.') && path !== lib.path,
      awaitWriteFinish: { stabilityThreshold: 500, pollInterval: 100 },
    });
    w.on('add', touch).on('change', touch).on('unlink', touch).on('addDir', touch).on('unlinkDir', touch);
    w.on('error', (err) => log.warn('watch error', { library: lib.name, reason: (err as Error).message }));
    readies.push(new Promise((resolve) => w.once('ready', () => resolve())));
    watchers.push(w);
  }
  return {
    ready: Promise.all(readies).then(() => undefined),
    close: async () => {
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}

/** Drops paths inside another listed folder: rescanning the folder covers them. */
function collapse(paths: string[]): string[] {
  const set = new Set(paths);
  return paths.filter((p) => {
    for (let d = dirname(p); d !== dirname(d); d = dirname(d)) if (set.has(d)) return false;
    return true;
  });
}
