// Each HLS stream writes into its own temp dir, named after the server's pid; the ffmpeg writing
// it is named in a pid file. A server killed outright leaves both: the next start removes them.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const DIR_PREFIX = 'homecast-hls-';
export const PID_FILE = 'ffmpeg.pid';

/** Removes stream dirs left by a server process that no longer exists (killed without its exit
 *  handler), after killing the ffmpeg named in one if it is still that ffmpeg (its command line
 *  names the dir, so a reused pid is left alone). */
export function sweepStaleDirs(tmpRoot: string): string[] {
  const gone: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(tmpRoot);
  } catch {
    return gone;
  }
  for (const name of names) {
    const m = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = join(tmpRoot, name);
    try {
      const pid = Number(readFileSync(join(dir, PID_FILE), 'utf8'));
      if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) process.kill(pid, 'SIGKILL');
    } catch {
      // no pid file, or that process is gone
    }
    rmSync(join(tmpRoot, name), { recursive: true, force: true });
    gone.push(name);
  }
  return gone;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's: not ours to judge
  }
}
