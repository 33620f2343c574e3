// A password-protected AirPlay speaker that a server on the host can reach: shairport-sync with
// `general.password` in a fresh network namespace (its avahi publishes on the namespace's own
// v0/v1 only), plus a veth pair from the host into that namespace on a private /30, so the
// server under test (test/helpers/server.ts, started on the host) connects to it by address,
// with mDNS off. Nothing leaves the machine: the pair ends in the test's namespace.
// shairport.ts's launcher has no password option yet, so the launch is repeated here with our
// own config file [RECIPES.md "shairport-sync"].
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns } from '../../helpers/netns.js';
import { PcmCapture } from '../receivers/airplay/shairport.js';

export interface PasswordSpeaker {
  /** The speaker's address as the host sees it. */
  host: string;
  /** The host's end of the pair: where a server must listen for the speaker's side to reach it. */
  hostAddr: string;
  port: number;
  name: string;
  pcm: PcmCapture;
  log(): string;
  /** Resolves when shairport-sync's log shows `pattern`. */
  waitLog(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const SCRIPT = `
set -e
D="$1"; PORT="$2"; NAME="$3"
mount -t tmpfs tmpfs /run
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$D/bus"
dbus-daemon --config-file="$D/dbus.conf" --address="$DBUS_SYSTEM_BUS_ADDRESS" --fork --print-pid > "$D/dbus.pid"
avahi-daemon -D -f "$D/avahi.conf" --no-drop-root --no-chroot --no-rlimits
cp /run/avahi-daemon/pid "$D/avahi.pid"
exec shairport-sync -vv -c "$D/shairport.conf" -o stdout -p "$PORT" -a "$NAME"
`;

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

/** A /30 in 10.79.0.0/16 that no interface on the host uses yet. */
function freeSubnet(): [string, string] {
  const used = spawnSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }).stdout;
  for (let n = process.pid % 16000; ; n = (n + 1) % 16000) {
    const base = `10.79.${n >> 6}.${(n & 63) << 2}`.split('.').map(Number);
    const a = `10.79.${base[2]}.${base[3]! + 1}`;
    const b = `10.79.${base[2]}.${base[3]! + 2}`;
    if (!used.includes(` ${a}/`) && !used.includes(` ${b}/`)) return [a, b];
  }
}

let counter = 0;

export async function startPasswordSpeaker(opts: { name: string; password: string; port: number }): Promise<PasswordSpeaker> {
  const ns: Netns = await createNetns();
  const hostEnd = `hcpw${process.pid % 100000}${++counter}`.slice(0, 15);
  let dir = '';
  let stopped = false;
  try {
    const [hostAddr, nsAddr] = freeSubnet();
    ip(['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'up0', 'netns', ns.name]);
    ip(['addr', 'add', `${hostAddr}/30`, 'dev', hostEnd]);
    ip(['link', 'set', hostEnd, 'up']);
    ip(['-n', ns.name, 'addr', 'add', `${nsAddr}/30`, 'dev', 'up0']);
    ip(['-n', ns.name, 'link', 'set', 'up0', 'up']);

    dir = mkdtempSync(join(tmpdir(), 'shairport-pw-'));
    const dbusConf = readFileSync('/usr/share/dbus-1/system.conf', 'utf8')
      .replace(/<pidfile>.*<\/pidfile>/, '')
      .replace(/<user>.*<\/user>/, '')
      .replace('</busconfig>', '<policy context="mandatory"><allow own="*"/><allow send_destination="*"/></policy></busconfig>');
    writeFileSync(join(dir, 'dbus.conf'), dbusConf);
    writeFileSync(join(dir, 'avahi.conf'), '[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=v0,v1\n[publish]\npublish-workstation=no\n');
    writeFileSync(join(dir, 'shairport.conf'), `general = { password = ${JSON.stringify(opts.password)}; volume_range_db = 30; volume_control_profile = "flat"; };\nmetadata = { enabled = "no"; };\n`);
    const child = ns.spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SCRIPT, 'sh', dir, String(opts.port), opts.name]);
    let all = '';
    const waiters = new Set<() => void>();
    child.stderr!.on('data', (d: Buffer) => {
      all = (all + d.toString()).slice(-200_000);
      for (const w of waiters) w();
    });
    const pcm = new PcmCapture(child.stdout!);
    const speaker: PasswordSpeaker = {
      host: nsAddr,
      hostAddr,
      port: opts.port,
      name: opts.name,
      pcm,
      log: () => all.slice(-8000),
      waitLog(pattern, timeoutMs) {
        return new Promise((resolve, reject) => {
          const done = (err?: Error): void => {
            clearTimeout(timer);
            waiters.delete(check);
            child.off('exit', onExit);
            if (err) reject(err);
            else resolve();
          };
          const check = (): void => void (pattern.test(all) && done());
          const onExit = (): void => done(new Error(`shairport-sync exited; log:\n${all.slice(-4000)}`));
          const timer = setTimeout(() => done(new Error(`shairport-sync: no ${pattern} within ${timeoutMs} ms; log:\n${all.slice(-4000)}`)), timeoutMs);
          waiters.add(check);
          child.once('exit', onExit);
          check();
        });
      },
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        }
        for (const f of ['avahi.pid', 'dbus.pid']) {
          try {
            process.kill(Number(readFileSync(join(dir, f), 'utf8').trim()), 'SIGTERM');
          } catch {
            // not started, or already gone
          }
        }
        rmSync(dir, { recursive: true, force: true });
        // Deleting the namespace deletes both ends of the veth pair.
        await ns.close();
      },
    };
    await speaker.waitLog(new RegExp(`service '[0-9A-F]+@${opts.name}' successfully added`), 30_000).catch(async (err: Error) => {
      stopped = true;
      await speaker.stop();
      throw err;
    });
    return speaker;
  } catch (err) {
    if (!stopped) {
      if (dir) rmSync(dir, { recursive: true, force: true });
      await ns.close();
    }
    throw err;
  }
}
