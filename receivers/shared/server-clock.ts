// The one clock every synced stream and every Sendspin client uses: NTP-epoch nanoseconds,
// monotonic. Sendspin's server time is this clock in µs; RAOP timelines are laid on it, so an
// AirPlay speaker and a Sendspin player of one group share one notion of "now".
import { NtpClock } from '../airplay/raop/clock.js';

export const serverClock = new NtpClock();

/** Server time in µs (Sendspin's time domain). */
export function serverMicros(): number {
  return Number(serverClock.nowNs() / 1000n);
}
