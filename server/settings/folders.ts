// The owner's folder browser: lists the folders (never files) in a folder of this machine, for
// picking a library. Refuses only what no library can be: a path that is not absolute, the
// kernel's and the system's pseudo-filesystems (/proc, /sys, /dev, /run), the server's own data
// folder, and what does not exist or is not a folder (each with a clear reason).
import { opendir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { xdgLibraries } from '../config/xdg.js';

export class FolderError extends Error {
  constructor(readonly status: 400 | 403 | 404, message: string) {
    super(message);
  }
}

export interface FolderListing {
  path: string;
  /** null at the root. */
  parent: string | null;
  folders: { name: string; path: string }[];
  /** More folders than are listed. */
  truncated: boolean;
}

const SYSTEM = ['/proc', '/sys', '/dev', '/run'];
const MAX_LISTED = 10_000;
/** Entries read at most (a folder of a million files is not read to its end). */
const MAX_READ = 100_000;

const inside = (root: string, p: string) => {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/** The folder `raw` names, as a real path (links followed), if a library may be there. */
export async function allowedFolder(raw: string, o: { dataDir: string }): Promise<string> {
  if (raw.includes('\0') || raw.length > 4096) throw new FolderError(400, 'that is not a folder path');
  if (!isAbsolute(raw)) throw new FolderError(400, `give a full path (starting with ${sep})`);
  const refuse = (p: string) => {
    const system = SYSTEM.find((s) => inside(s, p));
    if (system) throw new FolderError(403, `${system} is the system's, not a place for media`);
    if (inside(o.dataDir, p)) throw new FolderError(403, "that is the server's own data folder");
  };
  const path = normalize(raw).replace(/(.)\/+$/, '$1');
  refuse(path);
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw code === 'EACCES' ? new FolderError(403, `cannot open ${path}: permission denied`) : new FolderError(404, `${path} does not exist`);
  }
  refuse(real);
  if (!(await stat(real)).isDirectory()) throw new FolderError(400, `${path} is not a folder`);
  return real;
}

export async function listFolders(raw: string, o: { dataDir: string; hidden?: boolean }): Promise<FolderListing> {
  const path = await allowedFolder(raw, o);
  const folders: { name: string; path: string }[] = [];
  let truncated = false;
  let dir;
  try {
    dir = await opendir(path);
  } catch (e) {
    throw new FolderError(403, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  let read = 0;
  for await (const e of dir) {
    if (++read > MAX_READ) {
      truncated = true;
      break;
    }
    if (!o.hidden && e.name.startsWith('.')) continue;
    const full = join(path, e.name);
    // A link to a folder is a folder; a link to anything else, or a broken one, is not listed.
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(full).then((s) => s.isDirectory(), () => false)));
    if (!isDir || SYSTEM.includes(full) || inside(o.dataDir, full)) continue;
    folders.push({ name: e.name, path: full });
  }
  folders.sort((a, b) => a.name.localeCompare(b.name));
  if (folders.length > MAX_LISTED) {
    folders.length = MAX_LISTED;
    truncated = true;
  }
  return { path, parent: path === '/' ? null : normalize(join(path, '..')), folders, truncated };
}

/** Where the browser starts: the home folder, the usual mount points, and the XDG media folders found. */
export async function startingPoints(env: NodeJS.ProcessEnv = process.env): Promise<{ places: { name: string; path: string }[]; found: { name: string; path: string; kind: string }[] }> {
  const candidates = [{ name: 'Home', path: env.HOME ?? homedir() }, { name: '/media', path: '/media' }, { name: '/mnt', path: '/mnt' }, { name: '/srv', path: '/srv' }, { name: 'Computer', path: '/' }];
  const places = [];
  for (const c of candidates) if (await stat(c.path).then((s) => s.isDirectory(), () => false)) places.push(c);
  return { places, found: xdgLibraries(env) };
}
