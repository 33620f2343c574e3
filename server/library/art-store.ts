// Content-addressed artwork cache: <artDir>/<sha1>. Written once (temp file + rename, so two
// workers writing the same picture never leave a torn file), then only read.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isFolderArt } from './classify.js';
import type { ArtRef } from './probe-types.js';

export function sha1(data: Uint8Array | string): string {
  return createHash('sha1').update(data).digest('hex');
}

export async function storeArt(artDir: string, data: Uint8Array, mime: string, source: ArtRef['source']): Promise<ArtRef> {
  const hash = sha1(data);
  const path = join(artDir, hash);
  if (!existsSync(path)) {
    await mkdir(artDir, { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }
  return { hash, mime, path, source };
}

const mimeByExt: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
const preference = ['cover', 'folder', 'front', 'album', 'albumart'];

/** Finds folder.jpg / cover.png / ... beside a file; one readdir per folder, remembered. */
export class FolderArtFinder {
  private cache = new Map<string, Promise<ArtRef | null>>();

  find(filePath: string): Promise<ArtRef | null> {
    const dir = dirname(filePath);
    let p = this.cache.get(dir);
    if (!p) {
      p = this.lookup(dir);
      this.cache.set(dir, p);
      if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    }
    return p;
  }

  private async lookup(dir: string): Promise<ArtRef | null> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const candidates = names.filter(isFolderArt);
    if (candidates.length === 0) return null;
    candidates.sort((a, b) => preference.indexOf(a.split('.')[0]!.toLowerCase()) - preference.indexOf(b.split('.')[0]!.toLowerCase()));
    const name = candidates[0]!;
    const path = join(dir, name);
    // A folder image is referenced in place; its path names it (it may change, the name follows mtime via rescans).
    return { hash: sha1(`folder:${path}`), mime: mimeByExt[name.split('.').pop()!.toLowerCase()] ?? 'image/jpeg', path, source: 'folder' };
  }
}
