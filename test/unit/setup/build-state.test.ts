// The set-up's "what changed" logic on a small tree of its own: the hash of a step's inputs
// follows every edit, addition and removal (and not a touch), the web remote's inputs include
// what it imports from outside ui/, and a stamp says whether a step ran on these inputs.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashInputs, importsOutside, isCurrent, recordStamp, uiInputs } from '../../../scripts/build-state.mjs';

let root: string;
const write = (rel: string, text: string) => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'hc-build-state-'));
  write('ui/src/main.ts', "import './views/app.js';\nimport type { A } from '../../server/api/messages.js';\n");
  write('ui/src/views/app.ts', "const m = import('../lazy.js');\n");
  write('ui/src/lazy.ts', 'export {};\n');
  write('ui/vite.config.ts', "import { pwa } from './build/pwa.ts';\n");
  write('ui/build/pwa.ts', 'export const pwa = 1;\n');
  write('ui/dist/index.html', 'built\n');
  write('server/api/messages.ts', "export type { A } from './shared.js';\n");
  write('server/api/shared.ts', 'export type A = 1;\n');
  write('server/other.ts', 'export {};\n');
  write('package.json', '{}\n');
  write('package-lock.json', '{}\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('build state', () => {
  it("finds what the web remote imports from outside ui/, through those files too", () => {
    expect(importsOutside(root, 'ui')).toEqual(['server/api/messages.ts', 'server/api/shared.ts']);
    expect(uiInputs(root)).toEqual(['ui', 'server/api/messages.ts', 'server/api/shared.ts', 'package.json', 'package-lock.json']);
  });

  it('changes with an edit, an added or removed file, and an edit outside ui/ that ui/ imports; not with a touch or an output', () => {
    const hash = () => hashInputs(root, uiInputs(root));
    const first = hash();
    expect(hash()).toBe(first);
    utimesSync(join(root, 'ui/src/lazy.ts'), new Date(), new Date(Date.now() + 60_000));
    write('ui/dist/index.html', 'built again\n');
    write('server/other.ts', 'export const x = 1;\n');
    expect(hash()).toBe(first);

    write('ui/src/lazy.ts', 'export const y = 2;\n');
    const edited = hash();
    expect(edited).not.toBe(first);
    write('ui/src/extra.ts', '');
    const added = hash();
    expect(added).not.toBe(edited);
    unlinkSync(join(root, 'ui/src/extra.ts'));
    expect(hash()).toBe(edited);
    write('server/api/shared.ts', 'export type A = 2;\n');
    expect(hash()).not.toBe(edited);
    write('package-lock.json', '{"lockfileVersion": 3}\n');
    const locked = hash();
    // A file's name counts, not only its bytes.
    write('ui/src/lazy2.ts', 'export const y = 2;\n');
    unlinkSync(join(root, 'ui/src/lazy.ts'));
    expect(hash()).not.toBe(locked);
  });

  it('a missing input counts as absent, and creating it changes the hash', () => {
    const before = hashInputs(root, ['nothing-here']);
    write('nothing-here', '');
    expect(hashInputs(root, ['nothing-here'])).not.toBe(before);
  });

  it('a stamp matches only the hash it recorded, and only once recorded', () => {
    const stamp = join(root, 'out', '.stamp');
    expect(isCurrent(stamp, 'abc')).toBe(false);
    recordStamp(stamp, 'abc');
    expect(isCurrent(stamp, 'abc')).toBe(true);
    expect(isCurrent(stamp, 'abd')).toBe(false);
  });
});
