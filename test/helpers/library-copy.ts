// A private, writable copy of the generated fixture library for one test file.
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  await cp(fx.dir, root, { recursive: true, filter: (src) => !src.endsWith('.manifest.json') });
  return { fx, root, music: join(root, 'music'), video: join(root, 'video'), photos: join(root, 'photos'), at: (rel) => join(root, rel) };
}
