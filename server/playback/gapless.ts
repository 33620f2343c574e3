// Gapless hand-over for one session (session-core.ts): a receiver that plays gaplessly (optional
// Receiver.preload) is given the next item ~10 s before the current one ends (at once when less
// is left, as soon as the receiver has the current one); when it reports that it went on to it,
// that is the advance (no second load, and no idle state in between).
import type { Receiver, ReceiverDescriptor } from '../../receivers/types.js';
import type { Decision } from './decide.js';
import type { Playable } from './playable.js';
import { afterFinished, type QueueState } from './queue.js';
import type { SessionDeps } from './session-types.js';

/** How long before the current item's end the next one is handed to a gapless receiver. */
export const PRELOAD_AHEAD_S = 10;

/** What the receiver was given with preload(): the queue entry and what a load would have set. */
export interface Preloaded {
  entryId: number;
  item: Playable;
  decision: Decision;
  url: string;
  live: boolean;
}

/** What the preloader reads of its session, and how it makes the preloaded entry current. */
export interface GaplessHost {
  readonly receiverId: string;
  readonly deps: SessionDeps;
  receiver(): Receiver | undefined;
  /** The receiver has the current item and is going on with it (session-core.ts goingOn). */
  goingOn(): boolean;
  /** The current item's length (seconds), when known. */
  duration(): number | null;
  queue(): QueueState;
  positionNow(): number;
  /** How an item reaches this receiver (with the audio stream it starts in), as a load decides it. */
  decide(item: Playable, d: ReceiverDescriptor): Decision;
  /** Runs after the session's other commands (its chain). */
  run<T>(command: () => Promise<T>): Promise<T>;
  /** The receiver went on to the preloaded entry at `index`: current, as a load would have made it. */
  advance(index: number, p: Preloaded): void;
}

export class Gapless {
  private preloaded: Preloaded | undefined;
  private preloadTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: GaplessHost) {}

  /** A load drops what the receiver had preloaded. */
  drop(): void {
    this.preloaded = undefined;
  }

  cancel(): void {
    clearTimeout(this.preloadTimer);
  }

  /**
   * The receiver went on by itself to the item it was given with preload(): make it current as a
   * load would have. False when that is no longer what comes next (the queue changed since): the
   * caller then loads the right one.
   */
  advanced(url: string): boolean {
    const p = this.preloaded;
    this.preloaded = undefined;
    const h = this.host;
    const q = h.queue();
    const next = afterFinished(q);
    if (!p || p.url !== url || next === undefined || q.entries[next]?.entryId !== p.entryId) return false;
    h.advance(next, p);
    // No snapshot here: the receiver's next status (the new item playing) follows at once.
    h.deps.log.info('playing', { receiver: h.deps.descriptor()?.name ?? h.receiverId, item: p.item.id, title: p.item.title, decision: p.decision.kind, gapless: true });
    return true;
  }

  /**
   * On a gapless receiver, with a known-length item: preload the next entry PRELOAD_AHEAD_S before
   * the end, or now when less is left (a short track, a seek near the end).
   */
  schedule(): void {
    clearTimeout(this.preloadTimer);
    this.preloadTimer = undefined;
    const h = this.host;
    const r = h.receiver();
    const duration = h.duration();
    if (!r?.preload || !h.goingOn() || !duration) return;
    const q = h.queue();
    const next = afterFinished(q);
    const entry = next === undefined ? undefined : q.entries[next];
    if (!entry || this.preloaded?.entryId === entry.entryId) return;
    const position = h.positionNow();
    const waitMs = Math.max(0, (duration - position - PRELOAD_AHEAD_S) * 1000);
    this.preloadTimer = setTimeout(() => {
      this.preloadTimer = undefined;
      void h.run(() => this.preloadNext(r)).catch((err: Error) => h.deps.log.warn('preload failed', { receiver: h.receiverId, reason: err.message }));
    }, waitMs).unref();
  }

  private async preloadNext(r: Receiver): Promise<void> {
    const h = this.host;
    if (r !== h.receiver() || !r.preload || !h.goingOn()) return;
    const q = h.queue();
    const next = afterFinished(q);
    const entry = next === undefined ? undefined : q.entries[next];
    const item = entry && h.deps.item(entry.itemId);
    const d = h.deps.descriptor();
    if (!entry || !item || !d || this.preloaded?.entryId === entry.entryId) return;
    const decision = h.decide(item, d);
    if (decision.kind === 'unplayable') return; // the advance will load it and report why
    const req = await h.deps.loadRequest(d, item, decision, 0);
    r.preload(req);
    this.preloaded = { entryId: entry.entryId, item, decision, url: req.url, live: req.live };
  }
}
