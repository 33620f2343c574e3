// One playback session per receiver: its queue, where it is in it, and the receiver's state.
// Commands run one at a time (a chain), so two remotes acting at once end in one order and one
// state. Receiver events are the truth for position and state; a live transcode restarted at an
// offset (seek) reports positions from zero, so the offset is added back here. A receiver that
// plays gaplessly (optional Receiver.preload) is given the next item ~10 s before the current one
// ends (at once when less is left, as soon as the receiver has the current one); when it reports
// that it went on to it, that is the advance (no second load, and no idle state in between).
import { EventEmitter } from 'node:events';
import type { Receiver, ReceiverStatus } from '../../receivers/types.js';
import { decide, type Decision } from './decide.js';
import type { Playable } from './playable.js';
import { shownSubtitle, subtitleTracks, withSubtitleChoice, type SubtitleChoice } from './subtitles.js';
import { afterFinished, emptyQueue, indexOfEntry, moveEntry, nextIndex, removeEntry, setShuffle, type QueueState, type Repeat } from './queue.js';
import type { Handoff, SessionDeps, SessionSnapshot } from './session-types.js';

export type { QueueEntry } from './queue.js';
export type { Handoff, SavedSession, SessionDeps, SessionSnapshot, SessionStore } from './session-types.js';

export type PlayMode = 'replace' | 'next' | 'append';

/** How long before the current item's end the next one is handed to a gapless receiver. */
export const PRELOAD_AHEAD_S = 10;

export class PlaybackError extends Error {}

export class Session extends EventEmitter<{ changed: [SessionSnapshot] }> {
  private receiver: Receiver | undefined;
  private q: QueueState = emptyQueue();
  private nextEntryId = 1;
  private saveTimer: NodeJS.Timeout | undefined;
  private status: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  private offset = 0;
  /** The current stream is a live transcode (no seeking inside it), not a file or a VOD playlist. */
  private live = false;
  private decision: Decision | null = null;
  private current: Playable | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private loading = false;
  /** What the receiver was given with preload(): the queue entry and what a load would have set. */
  private preloaded: { entryId: number; item: Playable; decision: Decision; url: string; live: boolean } | undefined;
  private preloadTimer: NodeJS.Timeout | undefined;
  /** A person's subtitle choice: it stands for that item (its reloads too) until another item plays. */
  private subtitle: SubtitleChoice | undefined;

  constructor(readonly receiverId: string, private deps: SessionDeps) {
    super();
    const saved = deps.store?.load(receiverId);
    if (saved) {
      this.adopt(saved.q, saved.subtitle);
      this.status = { ...this.status, position: saved.position, volume: saved.volume };
    }
  }

  /** A queue from elsewhere (saved before a restart, or moved here) becomes this session's. */
  private adopt(q: QueueState, subtitle: SubtitleChoice | undefined): void {
    this.q = q;
    this.nextEntryId = Math.max(0, ...q.entries.map((e) => e.entryId)) + 1;
    const entry = q.entries[q.index];
    this.current = (entry && this.deps.item(entry.itemId)) ?? null;
    this.subtitle = subtitle;
  }

  /** What "move to…" takes to another receiver (move.ts): the queue, and where it is, read when needed. */
  handOff(): Handoff {
    if (!this.current || this.q.index < 0 || this.status.state === 'idle') throw new PlaybackError('nothing to move: nothing is playing here');
    return { q: this.q, subtitle: this.subtitle, paused: this.status.state === 'paused', position: () => this.positionNow() };
  }

  /** Plays what another session handed off, from where it is once this receiver is ready; on failure the queue here stays. */
  takeOver(h: Handoff): Promise<SessionSnapshot> {
    return this.run(async () => {
      const before = { q: this.q, subtitle: this.subtitle };
      await this.ensureReceiver();
      try {
        this.adopt(h.q, h.subtitle);
        await this.loadAt(h.q.index, h.position());
        if (h.paused) await this.connected().pause();
      } catch (err) {
        this.adopt(before.q, before.subtitle);
        throw err instanceof PlaybackError ? err : new PlaybackError((err as Error).message);
      }
      return this.snapshot();
    });
  }

  snapshot(): SessionSnapshot {
    const s = this.status;
    const c = this.current;
    const tracks = c && this.showsSubtitles() ? subtitleTracks(c.subtitles) : [];
    return {
      receiverId: this.receiverId,
      state: s.state,
      position: this.offset + s.position,
      at: s.at,
      rate: s.rate,
      duration: c?.duration ?? s.duration,
      volume: s.volume,
      index: this.q.index,
      queue: this.q.entries,
      repeat: this.q.repeat,
      shuffle: this.q.shuffle,
      item: c ? { id: c.id, title: c.title, ...(c.artist ? { artist: c.artist } : {}), ...(c.album ? { album: c.album } : {}), kind: c.kind, artHash: c.artHash, artUrl: c.artHash && this.deps.artUrl ? this.deps.artUrl(c.artHash) : null } : null,
      decision: this.decision ? { kind: this.decision.kind, reasons: this.decision.reasons } : null,
      subtitles: tracks,
      subtitle: c && tracks.length ? shownSubtitle(this.subtitle, c) : null,
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
      if (mode === 'replace' || this.q.index < 0) {
        const kept = mode === 'replace' ? [] : this.q.entries;
        this.q = { ...this.q, entries: [...kept, ...entries], shuffle: false };
        delete this.q.unshuffled;
        await this.loadAt(kept.length + (mode === 'replace' ? Math.min(Math.max(startIndex, 0), entries.length - 1) : 0), 0);
      } else {
        const at = mode === 'next' ? this.q.index + 1 : this.q.entries.length;
        const list = [...this.q.entries];
        list.splice(at, 0, ...entries);
        this.q = { ...this.q, entries: list, ...(this.q.unshuffled ? { unshuffled: [...this.q.unshuffled, ...entries.map((e) => e.entryId)] } : {}) };
        this.changed();
      }
      return this.snapshot();
    });
  }

  pause(): Promise<SessionSnapshot> {
    return this.run(async () => (await this.connected().pause(), this.snapshot()));
  }

  /**
   * Plays on. With nothing loaded on the receiver (after a server restart, a stop, an error, the
   * receiver gone), loads the current entry again where it was; from its start once it ended.
   */
  resume(): Promise<SessionSnapshot> {
    return this.run(async () => {
      if (this.receiver && this.status.state !== 'idle') await this.connected().play();
      else if (this.current && this.q.index >= 0) {
        const { position, duration } = this.snapshot();
        const ended = this.status.idleReason === 'finished' || (duration !== null && position >= duration);
        await this.loadAt(this.q.index, ended ? 0 : position);
      } else throw new PlaybackError('nothing is playing on this receiver');
      return this.snapshot();
    });
  }

  seek(seconds: number): Promise<SessionSnapshot> {
    return this.run(async () => {
      if (!this.current) throw new PlaybackError('nothing is playing');
      const to = Math.max(0, this.current.duration ? Math.min(seconds, this.current.duration) : seconds);
      // A live transcode cannot seek inside itself: start it again at the new offset. A file or an
      // HLS playlist (the whole item, segments made on demand) seeks in the receiver.
      if (this.live) await this.loadAt(this.q.index, to);
      else await this.connected().seek(to);
      return this.snapshot();
    });
  }

  /**
   * Shows the current item's text track `index` (null: none). In place when the receiver can,
   * else by a reload at the current position; when nothing plays, the choice waits for the item.
   */
  setSubtitle(index: number | null): Promise<SessionSnapshot> {
    return this.run(async () => {
      const item = this.current;
      if (!item) throw new PlaybackError('nothing is playing');
      const d = this.deps.descriptor();
      if (!this.showsSubtitles()) throw new PlaybackError(`${d?.name ?? 'this receiver'} does not show subtitles`);
      if (index !== null && !item.subtitles[index]) {
        const has = item.subtitles.length ? `${item.subtitles.length} subtitle track${item.subtitles.length > 1 ? 's' : ''}` : 'no subtitles';
        throw new PlaybackError(`"${item.title}" has ${has}; there is no track at index ${index}`);
      }
      const before = this.subtitle;
      this.subtitle = { itemId: item.id, index };
      const r = this.receiver;
      const s = this.status;
      try {
        if (r && s.state !== 'idle' && !(await r.setSubtitle?.(index))) {
          // Only a new load changes tracks on this receiver: the same item, where it is now.
          await this.loadAt(this.q.index, this.positionNow());
          if (s.state === 'paused') await r.pause();
        }
      } catch (err) {
        this.subtitle = before;
        throw err instanceof PlaybackError ? err : new PlaybackError((err as Error).message);
      }
      this.changed();
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
      const next = nextIndex(this.q);
      if (next === undefined) throw new PlaybackError('no next item');
      await this.loadAt(next, 0);
      return this.snapshot();
    });
  }

  previous(): Promise<SessionSnapshot> {
    return this.run(async () => {
      // Like every player: a few seconds in, "previous" restarts the item.
      const restart = this.snapshot().position > 5 || this.q.index <= 0;
      await this.loadAt(restart ? Math.max(this.q.index, 0) : this.q.index - 1, 0);
      return this.snapshot();
    });
  }

  /** Plays the queue entry with this id. */
  jump(entryId: number): Promise<SessionSnapshot> {
    return this.run(async () => {
      const at = indexOfEntry(this.q, entryId);
      if (at < 0) throw new PlaybackError(`no queue entry ${entryId}`);
      await this.loadAt(at, 0);
      return this.snapshot();
    });
  }

  moveEntry(entryId: number, to: number): Promise<SessionSnapshot> {
    return this.edit(() => moveEntry(this.q, entryId, to));
  }

  removeEntry(entryId: number): Promise<SessionSnapshot> {
    return this.run(async () => {
      const r = this.guard(() => removeEntry(this.q, entryId));
      this.q = r.q;
      // The playing entry went: play what took its place, or stop at the end.
      if (r.currentRemoved && this.current) {
        if (this.q.index >= 0 && this.receiver) await this.loadAt(this.q.index, 0);
        else {
          this.current = null;
          this.decision = null;
          await this.receiver?.stop();
        }
      }
      this.changed();
      return this.snapshot();
    });
  }

  setShuffle(on: boolean): Promise<SessionSnapshot> {
    return this.edit(() => setShuffle(this.q, on));
  }

  setRepeat(repeat: Repeat): Promise<SessionSnapshot> {
    return this.edit(() => ({ ...this.q, repeat }));
  }

  private edit(f: () => QueueState): Promise<SessionSnapshot> {
    return this.run(async () => {
      this.q = this.guard(f);
      this.changed();
      return this.snapshot();
    });
  }

  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      throw new PlaybackError((err as Error).message);
    }
  }

  setVolume(level: number): Promise<SessionSnapshot> {
    return this.run(async () => (await (await this.ensureReceiver()).setVolume(Math.min(1, Math.max(0, level))), this.snapshot()));
  }

  setMuted(muted: boolean): Promise<SessionSnapshot> {
    return this.run(async () => (await (await this.ensureReceiver()).setMuted(muted), this.snapshot()));
  }

  /** `forget`: the receiver is gone for good (a deleted group): it stops, nothing is saved. */
  async close(forget = false): Promise<void> {
    clearTimeout(this.preloadTimer);
    if (!forget) this.save();
    else {
      clearTimeout(this.saveTimer);
      await this.receiver?.stop().catch(() => undefined);
    }
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
    const entry = this.q.entries[index];
    if (!entry) throw new PlaybackError(`no queue entry ${index}`);
    const item = this.deps.item(entry.itemId);
    if (!item) throw new PlaybackError(`library item ${entry.itemId} is gone`);
    const receiver = await this.ensureReceiver();
    const d = this.deps.descriptor()!;
    const decision: Decision = item.media ? decide(item.media, this.deps.profile(d, item.media.video ? 'video' : 'audio')) : { kind: 'direct', reasons: [] };
    if (decision.kind === 'unplayable') throw new PlaybackError(`${d.name} cannot play "${item.title}": ${decision.reasons.join('; ')}`);
    const req = withSubtitleChoice(this.subtitle, item, await this.deps.loadRequest(d, item, decision, startAt));
    this.preloaded = undefined; // a load drops what the receiver had preloaded
    this.q = { ...this.q, index };
    this.current = item;
    this.decision = decision;
    this.offset = req.live ? startAt : 0;
    this.live = req.live;
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

  /** Whether this receiver shows side-loaded subtitles (a TV, not a speaker or an AirPlay device). */
  private showsSubtitles(): boolean {
    const d = this.deps.descriptor();
    return !!d && this.deps.profile(d, 'video').subtitleFormats.includes('webvtt');
  }

  private onStatus(from: Receiver, s: ReceiverStatus): void {
    if (from !== this.receiver) return;
    this.status = s;
    const finished = s.state === 'idle' && s.idleReason === 'finished' && !this.loading;
    // Gapless: the receiver went on to the preloaded item, whose 'playing' follows at once. Remotes
    // see one change (the next item playing), not the old one idle in between.
    if (finished && s.preloaded !== undefined && this.advanced(s.preloaded)) return;
    this.changed();
    // The item ended by itself: go on with the queue (not after a stop, an error or our own reload).
    const next = finished ? afterFinished(this.q) : undefined;
    if (next !== undefined) {
      void this.run(() => this.loadAt(next, 0)).catch((err: Error) => this.deps.log.warn('next item failed', { receiver: this.receiverId, reason: err.message }));
    }
  }

  /**
   * The receiver went on by itself to the item it was given with preload(): make it current as a
   * load would have. False when that is no longer what comes next (the queue changed since): the
   * caller then loads the right one.
   */
  private advanced(url: string): boolean {
    const p = this.preloaded;
    this.preloaded = undefined;
    const next = afterFinished(this.q);
    if (!p || p.url !== url || next === undefined || this.q.entries[next]?.entryId !== p.entryId) return false;
    this.q = { ...this.q, index: next };
    this.current = p.item;
    this.decision = p.decision;
    this.offset = 0;
    this.live = p.live;
    // No snapshot here: the receiver's next status (the new item playing) follows at once.
    this.deps.log.info('playing', { receiver: this.deps.descriptor()?.name ?? this.receiverId, item: p.item.id, title: p.item.title, decision: p.decision.kind, gapless: true });
    return true;
  }

  /**
   * The receiver has the current item (its load returned) and is going on with it. Not only once
   * it says 'playing': an AirPlay speaker says so ~2 s after it was sent the first audio, and a
   * track shorter than that lead is all sent by then, too late to follow it in the same stream.
   */
  private goingOn(): boolean {
    const st = this.status.state;
    return !this.loading && (st === 'playing' || st === 'loading' || st === 'buffering');
  }

  /**
   * On a gapless receiver, with a known-length item: preload the next entry PRELOAD_AHEAD_S before
   * the end, or now when less is left (a short track, a seek near the end).
   */
  private schedulePreload(): void {
    clearTimeout(this.preloadTimer);
    this.preloadTimer = undefined;
    const r = this.receiver;
    const s = this.status;
    const duration = this.current?.duration ?? s.duration;
    if (!r?.preload || !this.goingOn() || !duration) return;
    const next = afterFinished(this.q);
    const entry = next === undefined ? undefined : this.q.entries[next];
    if (!entry || this.preloaded?.entryId === entry.entryId) return;
    const position = this.positionNow();
    const waitMs = Math.max(0, (duration - position - PRELOAD_AHEAD_S) * 1000);
    this.preloadTimer = setTimeout(() => {
      this.preloadTimer = undefined;
      void this.run(() => this.preloadNext(r)).catch((err: Error) => this.deps.log.warn('preload failed', { receiver: this.receiverId, reason: err.message }));
    }, waitMs).unref();
  }

  private async preloadNext(r: Receiver): Promise<void> {
    if (r !== this.receiver || !r.preload || !this.goingOn()) return;
    const next = afterFinished(this.q);
    const entry = next === undefined ? undefined : this.q.entries[next];
    const item = entry && this.deps.item(entry.itemId);
    const d = this.deps.descriptor();
    if (!entry || !item || !d || this.preloaded?.entryId === entry.entryId) return;
    const decision: Decision = item.media ? decide(item.media, this.deps.profile(d, item.media.video ? 'video' : 'audio')) : { kind: 'direct', reasons: [] };
    if (decision.kind === 'unplayable') return; // the advance will load it and report why
    const req = await this.deps.loadRequest(d, item, decision, 0);
    r.preload(req);
    this.preloaded = { entryId: entry.entryId, item, decision, url: req.url, live: req.live };
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

  /** Seconds into the item now, interpolated from the last status. */
  private positionNow(): number {
    const s = this.status;
    return this.offset + s.position + (s.rate * (Date.now() - s.at)) / 1000;
  }

  private changed(): void {
    this.emit('changed', this.snapshot());
    this.schedulePreload();
    // Saved at most once a second: positions change often, the queue rarely.
    this.saveTimer ??= setTimeout(() => this.save(), 1000).unref();
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.deps.store) return;
    const s = this.snapshot();
    const position = s.position + (s.rate * (Date.now() - s.at)) / 1000;
    this.deps.store.save(this.receiverId, { q: this.q, position, volume: s.volume, ...(this.subtitle ? { subtitle: this.subtitle } : {}) });
  }
}
