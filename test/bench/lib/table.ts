// The benchmark's output: one row per figure, ours beside a reference measured in the same run.
export interface Row {
  section: string;
  metric: string;
  unit: string;
  ours: number | null;
  /** Who "ours" is when it is not our server (a stand-in), else omitted. */
  oursName?: string;
  ref: number | null;
  refName: string;
  better: 'higher' | 'lower';
  note?: string;
}

const fmt = (n: number | null) => (n === null || !Number.isFinite(n) ? 'n/a' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n < 10 ? 2 : 1));

export function ratio(r: Row): string {
  return r.ours === null || r.ref === null || r.ref === 0 ? 'n/a' : `${(r.ours / r.ref).toFixed(2)}×`;
}

/** A row from the usual fields: `row('fan-out', 'command → last remote, median', 'ms', 'lower', ours, ref, 'bare broadcast')`. */
export function row(section: string, metric: string, unit: string, better: Row['better'], ours: number | null, ref: number | null, refName: string, more: Pick<Row, 'oursName' | 'note'> = {}): Row {
  return { section, metric, unit, better, ours, ref, refName, ...more };
}

/** One table: section, what, ours, reference (with units), ours/ref, which way is better; then the notes. */
export function printTable(rows: Row[], out: (s: string) => void = (s) => process.stdout.write(s)): void {
  const cells = rows.map((r) => [
    r.section, r.metric,
    `${fmt(r.ours)} ${r.unit}` + (r.oursName ? ` (${r.oursName})` : ''), `${fmt(r.ref)} ${r.unit} (${r.refName})`, ratio(r), `${r.better} is better`,
  ]);
  const head = ['section', 'what', 'ours', 'reference', 'ours/ref', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 2 || i === 4 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd() + '\n';
  out(line(head));
  out(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) out(line(c));
  const notes = rows.filter((r) => r.note);
  if (notes.length) out('\n');
  for (const r of notes) out(`- ${r.section} / ${r.metric}: ${r.note}\n`);
}
