// UPnP AV durations and positions: `H+:MM:SS[.F+]` (AVTransport:1 §2.2.15/§2.2.16), e.g.
// GetPositionInfo's RelTime and Seek's REL_TIME target. `NOT_IMPLEMENTED` and empty mean unknown.

/** "0:03:25.500" → 205.5; null when it says nothing (NOT_IMPLEMENTED, empty, garbage). */
export function parseUpnpTime(text: string | undefined): number | null {
  const m = /^\s*\+?(\d+):([0-5]?\d):([0-5]?\d)(?:\.(\d+))?(?:\/\d+)?\s*$/.exec(text ?? '');
  if (!m) return null;
  const frac = m[4] ? Number(`0.${m[4]}`) : 0;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + frac;
}

/** 205.5 → "0:03:25.500"; whole seconds without a fraction ("0:03:25"), which every renderer parses. */
export function formatUpnpTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const frac = ms % 1000 ? `.${String(ms % 1000).padStart(3, '0')}` : '';
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}${frac}`;
}
