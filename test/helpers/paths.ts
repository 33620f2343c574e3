import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, from test/helpers (sources) or dist/test/helpers (built). */
const here = dirname(fileURLToPath(import.meta.url));
export const projectRoot = here.includes(`${'/dist/'}`) ? join(here, '../../..') : join(here, '../..');
export const fixturesDir = join(projectRoot, 'test/fixtures/generated');
