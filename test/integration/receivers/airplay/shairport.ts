// A real AirPlay speaker for tests: shairport-sync 3.3.8 writing what it plays (s16le 44.1 kHz
// stereo) to stdout, inside a test's network namespace. It needs avahi on D-Bus or it exits, so
// a private D-Bus and avahi-daemon run next to it, in a mount namespace whose /run is a tmpfs:
// nothing of the host's /run (avahi's pid file, sockets) is touched [docs/testing.md "shairport-sync in a test"].
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from '../../../helpers/netns.js';
import { LOUD } from './pcm-compare.js';

export interface Shairport {
  readonly process: ChildProcess;
  readonly pcm: PcmCapture;
  readonly log: () => string;
  /** Resolves when shairport-sync's log (-v) shows `pattern`. */
  waitLog(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Resolves once it has announced itself (its service added): ready to be played to. */
  advertised(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** stdout as it arrives, each chunk stamped, so tests can see when output stopped and resumed. */
export class PcmCapture {
  private readonly chunks: { at: number; data: Buffer; loud: number }[] = [];
  private readonly waiters = new Set<() => void>();
  private carry: Buffer = Buffer.alloc(0);
  bytes = 0;
  /** Frames with a sample above LOUD so far. */
  loudFrames = 0;

  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (d: Buffer) => {
      const loud = this.countLoud(d);
      this.chunks.push({ at: performance.now(), data: d, loud });
      this.bytes += d.length;
      this.loudFrames += loud;
      for (const w of this.waiters) w();
    });
  }

  private countLoud(d: Buffer): number {
    const b = this.carry.length ? Buffer.concat([this.carry, d]) : d;
    const whole = b.length - (b.length % 4);
    let n = 0;
    for (let i = 0; i < whole; i += 4) if (Math.abs(b.readInt16LE(i)) > LOUD || Math.abs(b.readInt16LE(i + 2)) > LOUD) n++;
    this.carry = Buffer.from(b.subarray(whole));
    return n;
  }

  /** Loud frames that arrived between two performance.now() times. */
  loudArrivedBetween(fromMs: number, toMs: number): number {
    return this.chunks.filter((c) => c.at >= fromMs && c.at <= toMs).reduce((n, c) => n + c.loud, 0);
  }

  get frames(): number {
    return Math.floor(this.bytes / 4);
  }

  /** Frames [from, to) as one buffer, with arrival times of the chunks that hold them. */
  slice(fromFrame: number, toFrame = this.frames): Int16Array {
    const all = Buffer.concat(this.chunks.map((c) => c.data));
    const b = all.subarray(fromFrame * 4, toFrame * 4);
    return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }

  /** Resolves once `pred()` holds (checked on every chunk). */
  until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pred()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`shairport-sync output: ${what} not seen within ${timeoutMs} ms (${this.frames} frames so far)`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
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

export interface ShairportOptions {
  port: number;
  name: string;
  /** Ask senders for this password (RTSP Digest, rtsp.c rtsp_auth). */
  password?: string;
  /**
   * Write metadata (track info, cover art, progress) to this FIFO, which shairport-sync makes;
   * it opens it O_NONBLOCK and drops items while no reader is attached (rtsp.c metadata_open).
   */
  metadataPipe?: string;
  /**
   * First of 10 UDP ports for its sessions (udp_port_base). The default range is shared, so more
   * than three speakers in one namespace need a base each or the others exit "Address already
   * in use" (rtp.c).
   */
  udpPortBase?: number;
}

// Config folders of speakers not stopped yet: removed on exit too (a bench stopped by Ctrl-C).
const dirs = new Set<string>();
process.once('exit', () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** libconfig string literal. */
const str = (v: string): string => JSON.stringify(v);

// volume_range_db 30 with the "flat" profile makes the AirPlay volume (0 … −30) the attenuation
// in dB (common.c flat_vol2attn), so a test can check the output level against the dB scale.
function conf(opts: ShairportOptions): string {
  const general = ['volume_range_db = 30;', 'volume_control_profile = "flat";', ...(opts.password !== undefined ? [`password = ${str(opts.password)};`] : []),
    ...(opts.udpPortBase !== undefined ? [`udp_port_base = ${opts.udpPortBase};`, 'udp_port_range = 10;'] : [])];
  const metadata = opts.metadataPipe !== undefined ? `enabled = "yes"; include_cover_art = "yes"; pipe_name = ${str(opts.metadataPipe)};` : 'enabled = "no";';
  return `general = { ${general.join(' ')} };\nmetadata = { ${metadata} };\n`;
}

export function startShairport(ns: Netns, opts: ShairportOptions): Shairport {
  const dir = mkdtempSync(join(tmpdir(), 'shairport-'));
  dirs.add(dir);
  const dbusConf = readFileSync('/usr/share/dbus-1/system.conf', 'utf8')
    .replace(/<pidfile>.*<\/pidfile>/, '')
    .replace(/<user>.*<\/user>/, '')
    .replace('</busconfig>', '<policy context="mandatory"><allow own="*"/><allow send_destination="*"/></policy></busconfig>');
  writeFileSync(join(dir, 'dbus.conf'), dbusConf);
  writeFileSync(join(dir, 'avahi.conf'), '[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=v0,v1\n[publish]\npublish-workstation=no\n');
  writeFileSync(join(dir, 'shairport.conf'), conf(opts));
  const child = ns.spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SCRIPT, 'sh', dir, String(opts.port), opts.name]);
  let log = '';
  let all = '';
  const logWaiters = new Set<() => void>();
  child.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
    all = (all + d.toString()).slice(-100_000);
    for (const w of logWaiters) w();
  });
  const pcm = new PcmCapture(child.stdout!);
  return {
    process: child,
    pcm,
    log: () => log,
    waitLog(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(all)) return;
          clearTimeout(timer);
          logWaiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          logWaiters.delete(check);
          reject(new Error(`shairport-sync: no ${pattern} within ${timeoutMs} ms; log:\n${log}`));
        }, timeoutMs);
        logWaiters.add(check);
        child.once('exit', () => {
          if (!logWaiters.has(check)) return;
          clearTimeout(timer);
          logWaiters.delete(check);
          reject(new Error(`shairport-sync exited; log:\n${log}`));
        });
        check();
      });
    },
    advertised(timeoutMs = 30_000) {
      return this.waitLog(new RegExp(`service '[0-9A-F]+@${opts.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' successfully added`), timeoutMs);
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
