// The repository stands on its own: the README, docs/ and code comments cite only files that are in
// it (no design notes kept beside the clone), and every cited `docs/protocols.md §N` exists.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/paths.js';

const SOURCE_DIRS = ['server', 'receivers', 'ui/src', 'test', 'scripts'];
const OUTSIDE = /\.\.\/shared|RECIPES\.md|ARCHITECTURE\.md|PROTOCOLS\.md|SYNC\.md|align\.py/;

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist' && e.name !== 'artifacts') out.push(...files(p, ext));
    } else if (ext.test(e.name)) out.push(p);
  }
  return out;
}

const docs = [join(projectRoot, 'README.md'), ...files(join(projectRoot, 'docs'), /\.md$/)];
const sources = SOURCE_DIRS.flatMap((d) => files(join(projectRoot, d), /\.(ts|mjs|js)$/)).filter((f) => !f.endsWith('references.test.ts'));

describe('the repository cites only what it holds', () => {
  it('names no document outside the repository', () => {
    const bad = [...docs, ...sources].flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(projectRoot, f)}:${i + 1}` }))
        .filter(({ line }) => OUTSIDE.test(line.replace(/receivers\/shared|\.\.\/shared\/[\w/-]+\.js/g, ''))),
    );
    expect(bad.map((b) => `${b.at}: ${b.line.trim()}`)).toEqual([]);
  });

  it('has every relative link in the README and docs/ pointing at a file that exists', () => {
    const broken: string[] = [];
    for (const f of docs) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(resolve(dirname(f), target))) broken.push(`${relative(projectRoot, f)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('cites only sections of docs/protocols.md that exist', () => {
    const sections = new Set([...readFileSync(join(projectRoot, 'docs/protocols.md'), 'utf8').matchAll(/^## (§\d+)/gm)].map((m) => m[1]));
    const cited = sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/docs\/protocols\.md (§\d+(?:, §\d+)*)/g)].flatMap((m) => m[1]!.split(', ').map((s) => ({ s, f }))));
    expect(cited.length).toBeGreaterThan(10);
    expect(cited.filter(({ s }) => !sections.has(s)).map(({ s, f }) => `${relative(projectRoot, f)}: ${s}`)).toEqual([]);
  });

  it('keeps docs/ in the repository', () => {
    for (const d of ['architecture.md', 'protocols.md', 'testing.md']) expect(statSync(join(projectRoot, 'docs', d)).size).toBeGreaterThan(1000);
  });
});
