// The user's Music, Videos and Pictures folders as the XDG user-dirs spec names them
// (~/.config/user-dirs.dirs), falling back to the English defaults.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LibraryConfig } from './schema.js';

const wanted = [
  { key: 'XDG_MUSIC_DIR', fallback: 'Music', name: 'Music', kind: 'music' },
  { key: 'XDG_VIDEOS_DIR', fallback: 'Videos', name: 'Videos', kind: 'video' },
  { key: 'XDG_PICTURES_DIR', fallback: 'Pictures', name: 'Pictures', kind: 'photo' },
] as const;

function readUserDirs(home: string, configHome: string): Record<string, string> {
  const file = join(configHome, 'user-dirs.dirs');
  if (!existsSync(file)) return {};
  const dirs: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(XDG_\w+_DIR)="(.*)"\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) dirs[m[1]] = m[2].replace(/^\$HOME/, home);
  }
  return dirs;
}

export function xdgLibraries(env: NodeJS.ProcessEnv = process.env): LibraryConfig[] {
  const home = env.HOME ?? homedir();
  const dirs = readUserDirs(home, env.XDG_CONFIG_HOME ?? join(home, '.config'));
  const found: LibraryConfig[] = [];
  for (const w of wanted) {
    const path = resolve(dirs[w.key] ?? join(home, w.fallback));
    // user-dirs.dirs points a disabled folder at $HOME itself: never scan the whole home.
    if (path === resolve(home) || !existsSync(path) || !statSync(path).isDirectory()) continue;
    found.push({ name: w.name, path, kind: w.kind });
  }
  return found;
}
