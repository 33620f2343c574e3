// What the set-up's build may skip: a step is redone only when a hash of its inputs differs from
// the one its last successful run recorded (a stamp file beside its output, so deleting the output
// deletes the stamp). Content, not mtimes: a checkout that touches files without changing them
// costs nothing, an edit always counts. Node built-ins only, like setup.mjs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Folders inside an input folder that are outputs or tools, not inputs. */
const SKIPPED = (name) => name === 'node_modules' || name === 'dist' || name.startsWith('dist.') || name.startsWith('.');

function filesUnder(path, out) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return out;
  if (!st.isDirectory()) return (out.push(path), out);
  for (const name of readdirSync(path).sort()) if (!SKIPPED(name)) filesUnder(join(path, name), out);
  return out;
}

/** One hash over files and folders (recursively) under `root`: each file's path and content; a
 *  path that does not exist counts as absent, so creating it changes the hash. */
export function hashInputs(root, paths) {
  const h = createHash('sha256');
  for (const p of [...new Set(paths)].sort()) {
    const files = filesUnder(join(root, p), []);
    if (files.length === 0) h.update(`absent ${p}\0`);
    for (const f of files) h.update(`${relative(root, f).split(sep).join('/')}\0`).update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

// `from '../x.js'`, `import '../x.js'`, `import('../x.js')`: the relative specifiers of a module.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Files outside `dir` that the TypeScript files under it import by relative path, followed into
 *  those files too (the web remote shares server/api/messages.ts). Paths relative to root. */
export function importsOutside(root, dir) {
  const inside = resolve(root, dir) + sep;
  const found = new Set();
  const queue = filesUnder(resolve(root, dir), []).filter((f) => f.endsWith('.ts'));
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = resolve(dirname(file), spec);
      const ts = target.replace(/\.js$/, '.ts');
      const path = existsSync(ts) ? ts : target;
      if (path.startsWith(inside) || found.has(path) || !existsSync(path)) continue;
      found.add(path);
      if (path.endsWith('.ts')) queue.push(path);
    }
  }
  return [...found].map((p) => relative(root, p).split(sep).join('/')).sort();
}

/** Everything the web remote's typecheck and bundle read: ui/ (minus its output), what its code
 *  imports from elsewhere, and the npm packages' versions. */
export function uiInputs(root) {
  return ['ui', ...importsOutside(root, 'ui'), 'package.json', 'package-lock.json'];
}

/** Did the last successful run of a step record this hash? */
export function isCurrent(stampFile, hash) {
  try {
    return readFileSync(stampFile, 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

/** After a step succeeded: what it was built from. */
export function recordStamp(stampFile, hash) {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, `${hash}\n`);
}
