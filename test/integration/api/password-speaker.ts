// A password-protected AirPlay speaker that a server on the host can reach: shairport-sync with a
// password (shairport.ts) in a fresh network namespace, whose avahi publishes on the namespace's
// own v0/v1 only, plus a veth pair from the host into that namespace on a private /30, so the
// server under test (test/helpers/server.ts, started on the host) connects to it by address,
// with mDNS off. Nothing leaves the machine: the pair ends in the test's namespace.
import { spawnSync } from 'node:child_process';
import { createNetns } from '../../helpers/netns.js';
import { startShairport, type PcmCapture } from '../receivers/airplay/shairport.js';

export interface PasswordSpeaker {
  /** The speaker's address as the host sees it. */
  host: string;
  /** The host's end of the pair: where a server must listen for the speaker's side to reach it. */
  hostAddr: string;
  port: number;
  pcm: PcmCapture;
  log(): string;
  stop(): Promise<void>;
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

/** A /30 in 10.79.0.0/16 that no interface on the host uses yet. */
function freeSubnet(): [string, string] {
  const used = spawnSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }).stdout;
  for (let i = 0; i < 16384; i++) {
    const n = (process.pid + i) % 16384;
    const [c, d] = [n >> 6, (n & 63) << 2];
    const pair: [string, string] = [`10.79.${c}.${d + 1}`, `10.79.${c}.${d + 2}`];
    if (!pair.some((a) => used.includes(` ${a}/`))) return pair;
  }
  throw new Error('no free /30 in 10.79.0.0/16');
}

let counter = 0;

export async function startPasswordSpeaker(opts: { name: string; password: string; port: number }): Promise<PasswordSpeaker> {
  const ns = await createNetns();
  try {
    const [hostAddr, nsAddr] = freeSubnet();
    const hostEnd = `hcpw${process.pid % 100000}x${++counter}`.slice(0, 15);
    ip(['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'up0', 'netns', ns.name]);
    ip(['addr', 'add', `${hostAddr}/30`, 'dev', hostEnd]);
    ip(['link', 'set', hostEnd, 'up']);
    ip(['-n', ns.name, 'addr', 'add', `${nsAddr}/30`, 'dev', 'up0']);
    ip(['-n', ns.name, 'link', 'set', 'up0', 'up']);
    const sp = startShairport(ns, { port: opts.port, name: opts.name, password: opts.password });
    const stop = async () => {
      await sp.stop();
      // Deleting the namespace deletes both ends of the veth pair.
      await ns.close();
    };
    await sp.waitLog(new RegExp(`service '[0-9A-F]+@${opts.name}' successfully added`), 30_000).catch(async (err: Error) => {
      await stop();
      throw Object.assign(err, { stopped: true });
    });
    return { host: nsAddr, hostAddr, port: opts.port, pcm: sp.pcm, log: sp.log, stop };
  } catch (err) {
    if (!(err as { stopped?: boolean }).stopped) await ns.close();
    throw err;
  }
}
