// shairport-sync for the AirPlay benchmarks when many run in one namespace: each session binds
// three UDP ports (audio, control, timing) from `udp_port_base` (6001) within `udp_port_range`
// (10), so ten speakers in one namespace fight over ten ports and all but three exit with
// "Address already in use" (rtp.c). This is the tests' launcher (shairport.ts: private D-Bus and
// avahi in a mount namespace, stdout backend) with a UDP port base per instance; shairport.ts has
// no option for it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from '../../helpers/netns.js';
import { PcmCapture, type Shairport } from '../../integration/receivers/airplay/shairport.js';

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

// Config folders of speakers not stopped yet, removed on exit too (a bench stopped by Ctrl-C).
const dirs = new Set<string>();
process.once('exit', () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

export function startShairportUdp(ns: Netns, opts: { port: number; name: string; udpPortBase: number }): Shairport {
  const dir = mkdtempSync(join(tmpdir(), 'homecast-bench-shairport-'));
  dirs.add(dir);
  const dbusConf = readFileSync('/usr/share/dbus-1/system.conf', 'utf8')
    .replace(/<pidfile>.*<\/pidfile>/, '')
    .replace(/<user>.*<\/user>/, '')
    .replace('</busconfig>', '<policy context="mandatory"><allow own="*"/><allow send_destination="*"/></policy></busconfig>');
  writeFileSync(join(dir, 'dbus.conf'), dbusConf);
  writeFileSync(join(dir, 'avahi.conf'), '[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=v0,v1\n[publish]\npublish-workstation=no\n');
  writeFileSync(join(dir, 'shairport.conf'), `general = { udp_port_base = ${opts.udpPortBase}; udp_port_range = 10; };\nmetadata = { enabled = "no"; };\n`);
  const child = ns.spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SCRIPT, 'sh', dir, String(opts.port), opts.name]);
  let log = '';
  let all = '';
  const waiters = new Set<() => void>();
  child.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
    all = (all + d.toString()).slice(-100_000);
    for (const w of waiters) w();
  });
  child.once('exit', () => waiters.forEach((w) => w()));
  return {
    process: child,
    pcm: new PcmCapture(child.stdout!),
    log: () => log,
    waitLog(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(all)) return done(resolve);
          if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`shairport-sync ${opts.name} exited; log:\n${log}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`shairport-sync ${opts.name}: no ${pattern} within ${timeoutMs} ms; log:\n${log}`))), timeoutMs);
        const done = (f: () => void): void => (clearTimeout(timer), waiters.delete(check), f());
        waiters.add(check);
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
      dirs.delete(dir);
    },
  };
}
