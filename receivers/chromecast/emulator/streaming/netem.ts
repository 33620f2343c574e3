// What the network does to the Cast Streaming leg, for tests: a fixed one-way delay, uniform
// jitter on top (packets may then arrive out of order, as on Wi-Fi) and random loss. Applied to
// what the device receives.
export interface NetemKnobs {
  delayMs?: number;
  jitterMs?: number;
  /** 0..1 */
  loss?: number;
}

export function netem(k: NetemKnobs, deliver: (b: Buffer) => void): (b: Buffer) => void {
  const delay = k.delayMs ?? 0;
  const jitter = k.jitterMs ?? 0;
  const loss = k.loss ?? 0;
  if (!delay && !jitter && !loss) return deliver;
  return (b) => {
    if (loss && Math.random() < loss) return;
    const ms = delay + Math.random() * jitter;
    // Loss alone delays nothing: a timer (≥ 1 ms, more on a loaded machine) would make every
    // Sender Report look late to the clock filter.
    if (ms <= 0) deliver(b);
    else setTimeout(() => deliver(b), ms);
  };
}
