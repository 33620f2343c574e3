// Heartbeat for every known receiver, whatever its kind: a TCP connect to its control port.
// mDNS goodbyes are not enough (a device that loses power sends none); two failed connects in
// a row mark it offline, one success brings it back.
import { connect } from 'node:net';
import { kindByName } from '../../receivers/index.js';
import type { ReceiverRegistry } from './registry.js';

export interface LivenessOptions {
  registry: ReceiverRegistry;
  intervalMs?: number;
  timeoutMs?: number;
  failuresBeforeOffline?: number;
}

export function reachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function startLiveness(o: LivenessOptions): { stop(): void; checkNow(): Promise<void> } {
  const failures = new Map<string, number>();
  const limit = o.failuresBeforeOffline ?? 2;
  let running: Promise<void> | undefined;
  const check = async () => {
    await Promise.all(
      // A group has no address of its own: it is online when a member is (server/groups). A
      // device that connected to us (a Sendspin player, a page playing itself) is there exactly while its connection is.
      o.registry.list().filter((d) => d.source !== 'group' && d.source !== 'browser' && !kindByName(d.kind)?.dialedIn?.(d)).map(async (d) => {
        if (await reachable(d.host, d.port, o.timeoutMs ?? 2000)) {
          failures.delete(d.id);
          o.registry.markOnline(d.id);
          return;
        }
        const n = (failures.get(d.id) ?? 0) + 1;
        failures.set(d.id, n);
        if (n >= limit && d.online) o.registry.markOffline(d.id, `not answering on ${d.host}:${d.port}`);
      }),
    );
  };
  const checkNow = () => (running ??= check().finally(() => (running = undefined)));
  const timer = setInterval(() => void checkNow(), o.intervalMs ?? 5000);
  timer.unref();
  return { stop: () => clearInterval(timer), checkNow };
}
