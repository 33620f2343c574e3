// Reads a child process's stdout as JSON lines and lets a test await the line it expects.
import type { Readable } from 'node:stream';

export type Line = Record<string, unknown> & { event?: string };

export class JsonLines {
  readonly lines: Line[] = [];
  private readonly waiters = new Set<{ pred: (l: Line) => boolean; from: number; resolve: (l: Line) => void }>();
  private partial = '';
  private closed = false;
  /** The process's stderr, when given: shown when a wait times out. */
  private errText = '';

  constructor(stream: Readable, private readonly label: string, stderr?: Readable | null) {
    stderr?.on('data', (d: Buffer) => (this.errText = (this.errText + d.toString()).slice(-4000)));
    stream.on('data', (chunk: Buffer) => {
      this.partial += chunk.toString('utf8');
      const parts = this.partial.split('\n');
      this.partial = parts.pop()!;
      for (const text of parts) {
        if (!text.trim()) continue;
        let line: Line;
        try {
          line = JSON.parse(text) as Line;
        } catch {
          line = { event: 'text', text };
        }
        this.lines.push(line);
        for (const w of this.waiters) {
          if (this.lines.length > w.from && w.pred(line)) {
            this.waiters.delete(w);
            w.resolve(line);
          }
        }
      }
    });
    stream.on('close', () => (this.closed = true));
  }

  /** The first line at index ≥ `from` matching `pred` (already seen or coming). */
  waitFor(pred: (l: Line) => boolean, timeoutMs = 15_000, from = 0): Promise<Line> {
    const seen = this.lines.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = {
        pred, from,
        resolve: (l: Line) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`${this.label}: no matching line within ${timeoutMs} ms${this.closed ? ' (stream closed)' : ''}; last lines:\n${this.lines.slice(-12).map((l) => JSON.stringify(l)).join('\n')}${this.errText ? `\nstderr:\n${this.errText}` : ''}`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  /** Shorthand: the next line with this `event` (and fields), counting from `from`. */
  event(name: string, fields: Record<string, unknown> = {}, timeoutMs?: number, from = 0): Promise<Line> {
    return this.waitFor((l) => l.event === name && Object.entries(fields).every(([k, v]) => l[k] === v), timeoutMs, from);
  }
}
