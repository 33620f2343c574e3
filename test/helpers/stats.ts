// Order statistics for what tests and benches measure (offsets, latencies, frame times).

/** The value at percentile `p` (0–100) of `xs`: the sorted values' element at ⌊p/100 · n⌋ (the last for p = 100). */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** The middle value of `xs` (the upper one of an even count). */
export const median = (xs: number[]): number => percentile(xs, 50);
