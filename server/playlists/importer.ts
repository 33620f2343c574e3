// Keeps the playlists imported from .m3u/.m3u8/.pls files in step with the files: the scanner
// hands over the playlist files its walk found; a new or changed one is read again, a gone one
// is dropped. Entries are looked up among the files the scan took (never opened here): an entry
// outside every library is reported and not followed, a missing one reported.
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, relative, sep } from 'node:path';
import type { LibraryConfig } from '../config/schema.js';
import type { Logger } from '../util/log.js';
import { isInside } from '../library/walk.js';
import { decodePlaylist, parsePlaylist } from './parse.js';
import type { PlaylistProblem, PlaylistStore } from './store.js';

/** Larger than any real playlist (10,000 entries of 400 bytes): refused unread. */
const MAX_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 10_000;
/** Problems logged per file; all are kept with the playlist (GET /api/playlists/:id/items). */
const LOGGED_PROBLEMS = 10;

export class PlaylistImporter {
  constructor(private d: { store: PlaylistStore; libraries: LibraryConfig[]; log: Logger; changed: () => void }) {}

  /**
   * After a scan of `scope` (a library root, or a folder or file in it) that found these playlist
   * files. When the scan changed the library's files, every playlist of the library is resolved
   * again (an entry reported missing may have arrived).
   */
  async sync(lib: LibraryConfig, scope: string, found: string[], libraryChanged: boolean): Promise<void> {
    const stored = new Map(this.d.store.imported(lib.name).map((s) => [s.path, s]));
    const inScope = (p: string) => p === scope || p.startsWith(scope.endsWith(sep) ? scope : scope + sep);
    const seen = new Set(found);
    let changes = 0;
    for (const path of found) {
      const st = await stat(path).catch(() => undefined);
      if (!st?.isFile()) continue;
      const old = stored.get(path);
      if (old && old.size === st.size && old.mtimeMs === Math.trunc(st.mtimeMs) && !libraryChanged) continue;
      if (await this.importFile(lib, path, st.size, Math.trunc(st.mtimeMs))) changes++;
    }
    // A playlist not listed by the walk: gone, or in a folder the walk skipped as unchanged (a quick
    // rescan), where an edit in place is still found here by its size and mtime.
    for (const s of stored.values()) {
      if (seen.has(s.path)) continue;
      if (!inScope(s.path) && !libraryChanged) continue;
      const st = await stat(s.path).catch(() => undefined);
      if (!st?.isFile()) {
        if (!inScope(s.path)) continue;
        this.d.store.delete(s.id);
        this.d.log.info('playlist removed', { library: lib.name, path: relative(lib.path, s.path) });
        changes++;
      } else if (libraryChanged || s.size !== st.size || s.mtimeMs !== Math.trunc(st.mtimeMs)) {
        if (await this.importFile(lib, s.path, st.size, Math.trunc(st.mtimeMs))) changes++;
      }
    }
    if (changes) this.d.changed();
  }

  /** Libraries no longer in the config: their imported playlists go (their files went already). */
  forgetLibrariesExcept(names: string[]): void {
    const n = this.d.store.dropImportedOutside(names);
    if (n) this.d.changed();
  }

  private async importFile(lib: LibraryConfig, path: string, size: number, mtimeMs: number): Promise<boolean> {
    const rel = relative(lib.path, path);
    if (size > MAX_BYTES) {
      this.d.log.warn('playlist not imported', { library: lib.name, path: rel, reason: `larger than ${MAX_BYTES / 1024 / 1024} MB` });
      return false;
    }
    let text: string;
    try {
      text = decodePlaylist(await readFile(path), path);
    } catch (err) {
      this.d.log.warn('playlist not imported', { library: lib.name, path: rel, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
      return false;
    }
    const parsed = parsePlaylist(text, path);
    const fileIds: number[] = [];
    const problems: PlaylistProblem[] = [];
    for (const e of parsed.entries) {
      if (fileIds.length >= MAX_ENTRIES) {
        problems.push({ line: e.line, entry: e.text, reason: `more than ${MAX_ENTRIES} entries: the rest is left out` });
        break;
      }
      const problem = (reason: string) => problems.push({ line: e.line, entry: e.text, reason });
      if (!e.path) problem('not a file in a library (a stream URL or another machine\'s path): skipped');
      else if (!this.d.libraries.some((l) => isInside(l.path, e.path!))) problem('outside the libraries: not followed');
      else {
        const id = this.d.store.fileIdByPath(e.path);
        if (id === undefined) problem('missing: no such media file in the library (moved, deleted, unreadable or not scanned)');
        else fileIds.push(id);
      }
    }
    const name = parsed.name ?? basename(path, extname(path));
    this.d.store.saveImport({ library: lib.name, path, name, size, mtimeMs, fileIds, problems });
    this.d.log.info('playlist imported', { library: lib.name, path: rel, name, entries: fileIds.length, problems: problems.length });
    for (const p of problems.slice(0, LOGGED_PROBLEMS)) this.d.log.warn('playlist entry skipped', { library: lib.name, path: rel, line: p.line, entry: p.entry, reason: p.reason });
    return true;
  }
}
