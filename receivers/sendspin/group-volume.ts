// The spec's group volume (Sendspin spec, controller role, "Setting group volume"): the group's
// volume is the average of its players'; setting it moves every player by the same delta, and
// what a player cannot take (clamped at 0 or 100) is shared among the others, until all of the
// delta is applied or every player is at a bound. Volumes 0..100.

/** The group's volume: the average of its players' (0 for no players). */
export function groupVolume(volumes: readonly number[]): number {
  return volumes.length ? volumes.reduce((a, b) => a + b, 0) / volumes.length : 0;
}

/** Each player's new volume (same order) for a requested group volume. */
export function applyGroupVolume(volumes: readonly number[], requested: number): number[] {
  const target = Math.max(0, Math.min(100, requested));
  const out = [...volumes];
  let free = out.map((_, i) => i);
  let delta = (target - groupVolume(out)) * out.length;
  // Each round spreads the remaining delta over the players not yet clamped.
  while (free.length && Math.abs(delta) > 1e-9) {
    const share = delta / free.length;
    let lost = 0;
    const still: number[] = [];
    for (const i of free) {
      const proposed = out[i]! + share;
      const clamped = Math.max(0, Math.min(100, proposed));
      lost += proposed - clamped;
      out[i] = clamped;
      if (clamped === proposed) still.push(i);
    }
    free = still;
    delta = lost;
  }
  // Float dust (99.99999999999999) off; callers round to the protocol's whole numbers when sending.
  return out.map((v) => Math.round(v * 1e6) / 1e6);
}
