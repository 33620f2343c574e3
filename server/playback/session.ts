// One playback session per receiver: its queue, where it is in it, and the receiver's state.
// Commands run one at a time (a chain), so two remotes acting at once end in one order and one
// state. Receiver events are the truth for position and state; a live transcode restarted at an
// offset (seek) reports positions from zero, so the offset is added back here.
import { EventEmitter } from 'node:events';
import type { LoadRequest, Profile, Receiver, ReceiverDescriptor, ReceiverStatus } from '../../receivers/types.js';
import type { Logger } from '../util/log.js';
import { decide, type Decision } from './decide.js';
import type { Playable } from './playable.js';

export interface QueueEntry {
  entryId: number;
  itemId: number;
  title: string;
  artist?: string;
  kind: Playable['kind'];
  duration: number | null;
}

export interface SessionSnapshot {
  receiverId: string;
  state: ReceiverStatus['state'];
  position: number;
  /** ms since epoch at which `position` was true; with `rate`, remotes interpolate. */
  at: number;
  rate: number;
  duration: number | null;
  volume: { level: number; muted: boolean };
  index: number;
  queue: QueueEntry[];
  item: { id: number; title: string; artist?: string; album?: string; kind: Playable['kind']; artHash: string | null } | null;
  decision: { kind: Decision['kind']; reasons: string[] } | null;
  idleReason?: ReceiverStatus['idleReason'];
  error?: string;
}

export interface SessionDeps {
  descriptor(): ReceiverDescriptor | undefined;
  connect(d: ReceiverDescriptor): Receiver;
  item(id: number): Playable | undefined;
  profile(d: ReceiverDescriptor): Profile;
  /** URLs are the composition root's business (signing, our address on the receiver's network). */
  loadRequest(d: ReceiverDescriptor, item: Playable, decision: Decision, startAt: number): Promise<LoadRequest>;
  log: Logger;
}

export type PlayMode = 'replace' | 'next' | 'append';

export class PlaybackError extends Error {}

export class Session extends EventEmitter<{ changed: [SessionSnapshot] }> {
  private receiver: Receiver | undefined;
  private queue: QueueEntry[] = [];
  private index = -1;
  private nextEntryId = 1;
  private status: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  private offset = 0;
  private decision: Decision | null = null;
  private current: Playable | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private loading = false;

  constructor(readonly receiverId: string, private deps: SessionDeps) {
    super();
  }

  snapshot(): SessionSnapshot {
    const s = this.status;
    const c = this.current;
    return {
      receiverId: this.receiverId,
      state: s.state,
      position: this.offset + s.position,
      at: s.at,
      rate: s.rate,
      duration: c?.duration ?? s.duration,
      volume: s.volume,
      index: this.index,
      queue: this.queue,
      item: c ? { id: c.id, title: c.title, ...(c.artist ? { artist: c.artist } : {}), ...(c.album ? { album: c.album } : {}), kind: c.kind, artHash: c.artHash } : null,
      decision: this.decision ? { kind: this.decision.kind, reasons: this.decision.reasons } : null,
      ...(s.idleReason ? { idleReason: s.idleReason } : {}),
      ...(s.error ? { error: s.error } : {}),
    };
  }

  /** Runs one command after the ones before it; its error goes to its caller only. */
  private run<T>(command: () => Promise<T>): Promise<T> {
    const p = this.chain.then(command);
    this.chain = p.catch(() => undefined);
    return p;
  }

  play(itemIds: number[], mode: PlayMode = 'replace', startIndex = 0): Promise<SessionSnapshot> {
    return this.run(async () => {
      const entries = itemIds.map((id) => {
        const item = this.deps.item(id);
        if (!item) throw new PlaybackError(`no library item ${id}`);
        return { entryId: this.nextEntryId++, itemId: id, title: item.title, ...(item.artist ? { artist: item.artist } : {}), kind: item.kind, duration: item.duration };
      });
      if (entries.length === 0) throw new PlaybackError('nothing to play');
      if (mode === 'replace' || this.index < 0) {
        this.queue = mode === 'replace' ? entries : [...this.queue, ...entries];
        const first = mode === 'replace' ? Math.min(Math.max(startIndex, 0), entries.length - 1) : this.queue.length - entries.length;
        await this.loadAt(first, 0);
      } else if (mode === 'next') {
        this.queue.splice(this.index + 1, 0, ...entries);
        this.changed();
      } else {
        this.queue.push(...entries);
        this.changed();
      }
      return this.snapshot();
    });
  }

  pause(): Promise<SessionSnapshot> {
    return this.run(async () => (await this.connected().pause(), this.snapshot()));
  }

  resume(): Promise<SessionSnapshot> {
    return this.run(async () => (await this.connected().play(), this.snapshot()));
  }

  seek(seconds: number): Promise<SessionSnapshot> {
    return this.run(async () => {
      if (!this.current) throw new PlaybackError('nothing is playing');
      const to = Math.max(0, this.current.duration ? Math.min(seconds, this.current.duration) : seconds);
      // A live transcode cannot seek inside itself: start it again at the new offset.
      if (this.decision && this.decision.kind !== 'direct') await this.loadAt(this.index, to);
      else await this.connected().seek(to);
      return this.snapshot();
    });
  }

  stop(): Promise<SessionSnapshot> {
    return this.run(async () => {
      if (this.receiver) await this.receiver.stop();
      return this.snapshot();
    });
  }

  next(): Promise<SessionSnapshot> {
    return this.run(async () => {
      if (this.index + 1 >= this.queue.length) throw new PlaybackError('no next item');
      await this.loadAt(this.index + 1, 0);
      return this.snapshot();
    });
  }

  previous(): Promise<SessionSnapshot> {
    return this.run(async () => {
      // Like every player: a few seconds in, "previous" restarts the item.
      const restart = this.snapshot().position > 5 || this.index <= 0;
      await this.loadAt(restart ? Math.max(this.index, 0) : this.index - 1, 0);
      return this.snapshot();
    });
  }

  setVolume(level: number): Promise<SessionSnapshot> {
    return this.run(async () => (await (await this.ensureReceiver()).setVolume(Math.min(1, Math.max(0, level))), this.snapshot()));
  }

  setMuted(muted: boolean): Promise<SessionSnapshot> {
    return this.run(async () => (await (await this.ensureReceiver()).setMuted(muted), this.snapshot()));
  }

  async close(): Promise<void> {
    await this.receiver?.close();
    this.receiver = undefined;
  }

  private connected(): Receiver {
    if (!this.receiver || !this.current) throw new PlaybackError('nothing is playing on this receiver');
    return this.receiver;
  }

  private async ensureReceiver(): Promise<Receiver> {
    if (this.receiver) return this.receiver;
    const d = this.deps.descriptor();
    if (!d) throw new PlaybackError(`unknown receiver ${this.receiverId}`);
    if (!d.online) throw new PlaybackError(`${d.name} is offline`);
    const r = this.deps.connect(d);
    r.on('status', (s) => this.onStatus(r, s));
    r.on('gone', (reason) => this.onGone(r, reason));
    try {
      await r.connect();
    } catch (err) {
      await r.close().catch(() => undefined);
      throw new PlaybackError(`cannot reach ${d.name}: ${(err as Error).message}`);
    }
    this.receiver = r;
    return r;
  }

  private async loadAt(index: number, startAt: number): Promise<void> {
    const entry = this.queue[index];
    if (!entry) throw new PlaybackError(`no queue entry ${index}`);
    const item = this.deps.item(entry.itemId);
    if (!item) throw new PlaybackError(`library item ${entry.itemId} is gone`);
    const receiver = await this.ensureReceiver();
    const d = this.deps.descriptor()!;
    const decision: Decision = item.media ? decide(item.media, this.deps.profile(d)) : { kind: 'direct', reasons: [] };
    if (decision.kind === 'unplayable') throw new PlaybackError(`${d.name} cannot play "${item.title}": ${decision.reasons.join('; ')}`);
    const req = await this.deps.loadRequest(d, item, decision, startAt);
    this.index = index;
    this.current = item;
    this.decision = decision;
    this.offset = req.live ? startAt : 0;
    this.loading = true;
    try {
      await receiver.load(req);
    } catch (err) {
      this.status = { ...this.status, state: 'idle', rate: 0, idleReason: 'error', error: (err as Error).message, at: Date.now() };
      this.changed();
      throw new PlaybackError((err as Error).message);
    } finally {
      this.loading = false;
    }
    this.deps.log.info('playing', { receiver: d.name, item: item.id, title: item.title, decision: decision.kind, reasons: decision.reasons.join('; ') || undefined });
    this.changed();
  }

  private onStatus(from: Receiver, s: ReceiverStatus): void {
    if (from !== this.receiver) return;
    this.status = s;
    this.changed();
    // The item ended by itself: go on with the queue (not after a stop, an error or our own reload).
    if (s.state === 'idle' && s.idleReason === 'finished' && !this.loading && this.index + 1 < this.queue.length) {
      void this.run(() => this.loadAt(this.index + 1, 0)).catch((err: Error) => this.deps.log.warn('next item failed', { receiver: this.receiverId, reason: err.message }));
    }
  }

  private onGone(from: Receiver, reason: string): void {
    if (from === this.receiver) this.lost(reason);
  }

  /** The receiver vanished (its driver gave up, or discovery stopped hearing it). The queue survives; the next command reconnects. */
  lost(reason: string): void {
    const r = this.receiver;
    this.receiver = undefined;
    void r?.close().catch(() => undefined);
    if (this.status.state === 'idle' && this.status.idleReason === 'gone') return;
    const now = Date.now();
    const position = this.status.position + (this.status.rate * (now - this.status.at)) / 1000;
    this.status = { ...this.status, state: 'idle', rate: 0, position, idleReason: 'gone', error: reason, at: now };
    this.changed();
  }

  private changed(): void {
    this.emit('changed', this.snapshot());
  }
}
