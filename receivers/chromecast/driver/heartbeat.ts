// tp.heartbeat, sender side: PING every interval; a connection that has carried nothing (no PONG,
// no status, nothing) for `deadAfterMs` is dead. A half-open TCP connection (device unplugged,
// Wi-Fi gone) never closes on its own, and castv2-client only emits "Device timeout" without
// closing anything (docs/protocols.md §1), so this is what turns silence into a reconnect.

export interface HeartbeatOptions {
  intervalMs: number;
  deadAfterMs: number;
  ping(): void;
  /** Called once, after which the heartbeat is stopped. */
  onDead(silentMs: number): void;
}

export interface Heartbeat {
  /** Any message from the device: the connection is alive. */
  traffic(): void;
  stop(): void;
}

export function startHeartbeat(opts: HeartbeatOptions): Heartbeat {
  let last = Date.now();
  let stopped = false;
  const pinger = setInterval(() => opts.ping(), opts.intervalMs);
  const deadline = setTimeout(() => {
    stop();
    opts.onDead(Date.now() - last);
  }, opts.deadAfterMs);
  // Timers never keep a process alive on their own; the socket does while it is open.
  pinger.unref();
  deadline.unref();
  function stop(): void {
    stopped = true;
    clearInterval(pinger);
    clearTimeout(deadline);
  }
  opts.ping();
  return {
    traffic() {
      if (stopped) return;
      last = Date.now();
      deadline.refresh();
    },
    stop,
  };
}
