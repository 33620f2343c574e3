// A private, writable copy of the generated fixture library for one test file.
import { cp, mkdtemp, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { generateFixtures, type Fixtures } from '../fixtures/generate.js';
import { fixturesDir } from './paths.js';

export interface LibraryCopy {
  fx: Fixtures;
  root: string;
  music: string;
  video: string;
  photos: string;
  /** Path of a fixture file inside the copy. */
  at(rel: string): string;
}

export async function copyFixtureLibrary(): Promise<LibraryCopy> {
  const fx = await generateFixtures(fixturesDir);
  const root = await mkdtemp(join(tmpdir(), 'hc-lib-'));
  // Only the fixture set: other tests keep generated trees beside it (big-3000, written through a
  // .tmp- folder while this copy may run), which are not ours to copy.
  const ours = (src: string) => !/^(big-|.*\.tmp-)/.test(relative(fx.dir, src).split(sep)[0] ?? '');
  await cp(fx.dir, root, { recursive: true, filter: (src) => !src.endsWith('.manifest.json') && ours(src) });
  return { fx, root, music: join(root, 'music'), video: join(root, 'video'), photos: join(root, 'photos'), at: (rel) => join(root, rel) };
}

/** Sets every folder under `dir` (itself included) to an mtime an hour ago, so a quick rescan
 *  trusts them (a folder changed within the last 2 s is always read again) and only folders
 *  the test changes afterwards move. Returns how many folders there are. */
export async function ageFolders(dir: string): Promise<number> {
  const past = new Date(Date.now() - 3600_000);
  const subs = (await readdir(dir, { withFileTypes: true, recursive: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  const all = [dir, ...subs.map((d) => join(d.parentPath, d.name))];
  for (const d of all) await utimes(d, past, past);
  return all.length;
}
