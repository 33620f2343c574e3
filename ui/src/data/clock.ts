// The server's clock as seen from here. Snapshot positions are stamped with the server's time;
// a phone whose clock is off by seconds would draw the progress bar off by as much. The HTTP
// Date header (1 s resolution) tells a gross offset; below 1.5 s the clocks are taken as agreed.
let offsetMs = 0;

export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** Offset from one request: local send and receive times around a server Date header. */
export function offsetFrom(sentAt: number, receivedAt: number, dateHeader: string | null): number {
  const server = dateHeader ? Date.parse(dateHeader) : NaN;
  if (!Number.isFinite(server)) return 0;
  // The header is truncated to the second: its true time is on average half a second later.
  const offset = server + 500 - (sentAt + receivedAt) / 2;
  return Math.abs(offset) < 1500 ? 0 : Math.round(offset);
}

export async function syncClock(f: typeof fetch = fetch): Promise<void> {
  try {
    const sentAt = Date.now();
    const res = await f('api/health', { cache: 'no-store' });
    offsetMs = offsetFrom(sentAt, Date.now(), res.headers.get('date'));
  } catch {
    /* offline: keep the last offset */
  }
}
