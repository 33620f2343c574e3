// Where a session's items got to, told to whoever remembers it (server/library/remembered.ts):
// while an item plays, every SAVE_EVERY_MS; at once when it pauses, stops, ends, fails or another
// item takes its place (next, a gapless hand-over, a move away stops it). The position is the last
// one the receiver reported, carried on at its rate to the moment of saving: a receiver that goes
// idle on a stop may report 0 then, which is not where the person stopped.
import type { SessionSnapshot } from './session-types.js';

export const SAVE_EVERY_MS = 10_000;

export interface ProgressSink {
  /** Where an item is now (the sink decides what it keeps: videos and long audio, watched past 90 %). */
  progress(itemId: number, kind: string, position: number, duration: number | null): void;
  /** The item played to its end. */
  finished(itemId: number, kind: string, duration: number | null): void;
  /** A play of the item began. */
  played(itemId: number): void;
  /** Where a play that resumes starts the item: null, from its start. */
  resumeAt(itemId: number): number | null;
}

interface Seen {
  /** Whose item it is (the sink when it began: a queue taken over by another keeps this item's). */
  sink: ProgressSink;
  id: number;
  kind: string;
  duration: number | null;
  /** The last non-idle report: position at `at`, moving at `rate`. */
  position: number;
  at: number;
  rate: number;
  /** This play was counted (once it played); a stop or the end makes the next play another. */
  counted: boolean;
}

export class ProgressTracker {
  private seen: Seen | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** `sink`: one, or where the item that begins now goes (the user who played it). */
  constructor(private sink: ProgressSink | (() => ProgressSink), private onError: (err: Error) => void) {}

  /** Every snapshot the session sends remotes comes here. */
  observe(s: SessionSnapshot): void {
    this.guard(() => this.take(s));
  }

  private take(s: SessionSnapshot): void {
    const item = s.item;
    if (this.seen && this.seen.id !== item?.id) {
      this.flush();
      this.seen = undefined;
    }
    if (!item || item.kind === 'photo') return this.stopTimer();
    const seen = (this.seen ??= { sink: this.sinkNow(), id: item.id, kind: item.kind, duration: s.duration, position: s.position, at: s.at, rate: 0, counted: false });
    seen.duration = s.duration;
    if (s.state === 'idle') {
      this.stopTimer();
      if (s.idleReason === 'finished') seen.sink.finished(seen.id, seen.kind, seen.duration);
      else this.flush(true);
      if (s.idleReason === 'finished' || s.idleReason === 'stopped') seen.counted = false;
      return;
    }
    // A new play of the same item (after a stop or its end) may be another person's.
    if (!seen.counted) seen.sink = this.sinkNow();
    Object.assign(seen, { position: s.position, at: s.at, rate: s.rate });
    if (s.state === 'playing') {
      if (!seen.counted) (seen.counted = true), seen.sink.played(seen.id);
      this.timer ??= setInterval(() => this.guard(() => this.flush()), SAVE_EVERY_MS).unref();
    } else if (s.state === 'paused') {
      this.stopTimer();
      this.flush();
    }
  }

  private sinkNow(): ProgressSink {
    return typeof this.sink === 'function' ? this.sink() : this.sink;
  }

  /** Saves where the item is now; `hold`: it stays there (idle) until the receiver reports again. */
  private flush(hold = false): void {
    const seen = this.seen;
    if (!seen) return;
    const now = Date.now();
    let position = seen.position + (seen.rate * (now - seen.at)) / 1000;
    if (seen.duration !== null) position = Math.min(position, seen.duration);
    if (hold) Object.assign(seen, { position, at: now, rate: 0 });
    seen.sink.progress(seen.id, seen.kind, position, seen.duration);
  }

  /** The session closes (the server stops): where it was is kept. */
  close(): void {
    this.stopTimer();
    this.guard(() => this.flush());
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Remembering is a side matter: its failure (a database error) never stops playback. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.onError(err as Error);
    }
  }
}
