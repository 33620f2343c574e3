// The settings that take effect without a restart: library folders (the lists every part reads
// are changed in place, the watcher follows the new folders, and a scan adds the new library's
// items and forgets a removed one's), receivers by address, mDNS/SSDP on or off, and the cap on
// ffmpeg processes. The per-user limits are read where they apply, each time.
import type { Config, LibraryConfig } from '../config/schema.js';
import type { Discovery } from '../discovery/index.js';
import type { FfmpegSlots } from '../media/ffmpeg-slots.js';
import type { Scanner } from '../library/scanner.js';
import { watchLibraries } from '../library/watcher.js';
import type { Logger } from '../util/log.js';
import type { SettingsService } from './service.js';

export interface LiveParts {
  /** The running config: its `libraries` array is the one the scanner and playlists read. */
  config: Config;
  /** Library roots by name (media routes, playlists). */
  roots: Map<string, string>;
  /** What /api/library/stats lists. */
  listed: { name: string; kind: string }[];
  scanner: Scanner;
  discovery: Discovery;
  slots: FfmpegSlots;
  log: Logger;
}

export interface LiveSettings {
  /** Starts watching the library folders (config `scan.watch`). */
  watch(): void;
  close(): Promise<void>;
}

export function applySettingsLive(settings: SettingsService, p: LiveParts): LiveSettings {
  let watcher: ReturnType<typeof watchLibraries> | undefined;
  const watch = () => {
    if (!p.config.scan.watch) return;
    watcher = watchLibraries(p.config.libraries, p.scanner, p.log);
    const n = p.config.libraries.length;
    void watcher.ready.then(() => p.log.info('watching', { libraries: n }));
  };
  const setLibraries = (list: LibraryConfig[]) => {
    p.config.libraries.splice(0, p.config.libraries.length, ...list);
    p.roots.clear();
    for (const l of list) p.roots.set(l.name, l.path);
    p.listed.splice(0, p.listed.length, ...list.map((l) => ({ name: l.name, kind: l.kind })));
    const old = watcher;
    watcher = undefined;
    void (old ? old.close() : Promise.resolve()).then(watch);
    p.log.info('libraries changed', { libraries: list.map((l) => l.name).join(',') });
    void p.scanner.scanAll().catch((err: Error) => p.log.error('scan failed', { reason: err.message }));
  };
  settings.on('changed', (keys, now) => {
    if (keys.includes('libraries')) setLibraries(now.libraries);
    if (keys.includes('receivers')) p.discovery.setManual(now.receivers);
    if (keys.includes('discovery')) p.discovery.setMulticast(now.discovery);
    if (keys.includes('transcode') && p.slots.max !== now.transcode.maxProcesses) {
      p.slots.setMax(now.transcode.maxProcesses);
      p.log.info('transcode cap changed', { maxProcesses: now.transcode.maxProcesses });
    }
  });
  return { watch, close: async () => await watcher?.close() };
}
