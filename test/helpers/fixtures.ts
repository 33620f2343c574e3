// The shared fixture library for tests: generated once into test/fixtures/generated (git-ignored)
// and reused while its generator version matches. Safe to call from every test file at once.
import { generateFixtures, type Fixtures } from '../fixtures/generate.js';
import { fixturesDir } from './paths.js';

export type * from '../fixtures/manifest.js';

/** Generating takes ~2–3 s on 2 cores: give beforeAll hooks this much. */
export const FIXTURES_TIMEOUT_MS = 60_000;

export function loadFixtures(): Promise<Fixtures> {
  return generateFixtures(fixturesDir);
}
