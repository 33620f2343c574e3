// One playback session's link to its receiver: the state the session keeps (queue, where it is,
// the receiver's status), loads, the receiver's events (status, gone), the snapshot remotes get and
// saving. Receiver events are the truth for position and state; a live transcode restarted at an
// offset (seek) reports positions from zero, so the offset is added back here. Commands run one at
// a time (a chain), so two remotes acting at once end in one order and one state. The commands a
// person gives are session.ts's; gapless hand-over is gapless.ts's.
import { EventEmitter } from 'node:events';
import type { Receiver, ReceiverDescriptor, ReceiverStatus } from '../../receivers/types.js';
import { decide, type Decision } from './decide.js';
import { Gapless } from './gapless.js';
import type { Playable } from './playable.js';
import { shownSubtitle, subtitleTracks, withSubtitleChoice, type SubtitleChoice } from './subtitles.js';
import { afterFinished, emptyQueue, type QueueEntry, type QueueState } from './queue.js';
import { ProgressTracker } from './progress.js';
import { audioTracks, chosenAudio, type AudioChoice } from './audio-tracks.js';
import type { SessionDeps, SessionSnapshot } from './session-types.js';

export class PlaybackError extends Error {}

export class SessionCore extends EventEmitter<{ changed: [SessionSnapshot] }> {
  protected receiver: Receiver | undefined;
  protected q: QueueState = emptyQueue();
  protected nextEntryId = 1;
  private saveTimer: NodeJS.Timeout | undefined;
  protected status: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  private offset = 0;
  /** The current stream is a live transcode (no seeking inside it), not a file or a VOD playlist. */
  protected live = false;
  protected decision: Decision | null = null;
  protected current: Playable | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private loading = false;
  /** A person's subtitle choice: it stands for that item (its reloads too) until another item plays. */
  protected subtitle: SubtitleChoice | undefined;
  /** A person's audio language choice, kept like the subtitle's. */
  protected audio: AudioChoice | undefined;

  protected readonly gapless: Gapless;
  /** Resume positions, plays (progress.ts), when the server remembers them. */
  private readonly progress: ProgressTracker | undefined;

  constructor(readonly receiverId: string, protected deps: SessionDeps) {
    super();
    const remember = deps.remember;
    // An item's plays and position go to whoever played the queue it is in.
    this.progress = remember && new ProgressTracker(() => remember(this.q.listener ?? null), (err) => deps.log.warn('could not remember where an item is', { receiver: receiverId, reason: err.message }));
    this.gapless = new Gapless({
      receiverId,
      deps,
      receiver: () => this.receiver,
      goingOn: () => this.goingOn(),
      duration: () => this.current?.duration ?? this.status.duration,
      queue: () => this.q,
      positionNow: () => this.positionNow(),
      decide: (item, d) => this.decisionFor(item, d),
      run: (command) => this.run(command),
      advance: (index, p) => {
        this.q = { ...this.q, index };
        this.current = p.item;
        this.decision = p.decision;
        this.offset = 0;
        this.live = p.live;
      },
    });
    const saved = deps.store?.load(receiverId);
    if (saved) {
      this.adopt(saved.q, saved.subtitle, saved.audio);
      this.status = { ...this.status, position: saved.position, volume: saved.volume };
    }
  }

  /** A queue from elsewhere (saved before a restart, or moved here) becomes this session's. */
  protected adopt(q: QueueState, subtitle: SubtitleChoice | undefined, audio?: AudioChoice): void {
    this.q = q;
    this.nextEntryId = Math.max(0, ...q.entries.map((e) => e.entryId)) + 1;
    const entry = q.entries[q.index];
    this.current = (entry && this.deps.item(entry.itemId)) ?? null;
    this.subtitle = subtitle;
    this.audio = audio;
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
      audioTracks: audioTracks(c?.audio ?? []),
      audioTrack: c?.audio?.length ? this.audioOf(c) : null,
      ...(s.idleReason ? { idleReason: s.idleReason } : {}),
      ...(s.error ? { error: s.error } : {}),
    };
  }

  /** Runs one command after the ones before it; its error goes to its caller only. */
  protected run<T>(command: () => Promise<T>): Promise<T> {
    const p = this.chain.then(command);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** `forget`: the receiver is gone for good (a deleted group): it stops, nothing is saved. */
  async close(forget = false): Promise<void> {
    this.gapless.cancel();
    this.progress?.close();
    if (!forget) this.save();
    else {
      clearTimeout(this.saveTimer);
      await this.receiver?.stop().catch(() => undefined);
    }
    await this.receiver?.close();
    this.receiver = undefined;
  }

  protected connected(): Receiver {
    if (!this.receiver || !this.current) throw new PlaybackError('nothing is playing on this receiver');
    return this.receiver;
  }

  protected async ensureReceiver(): Promise<Receiver> {
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

  protected async loadAt(index: number, startAt: number): Promise<void> {
    const entry = this.q.entries[index];
    if (!entry) throw new PlaybackError(`no queue entry ${index}`);
    const item = this.deps.item(entry.itemId);
    if (!item) throw new PlaybackError(`library item ${entry.itemId} is gone`);
    const receiver = await this.ensureReceiver();
    const d = this.deps.descriptor()!;
    const decision = this.decisionFor(item, d);
    if (decision.kind === 'unplayable') throw new PlaybackError(`${d.name} cannot play "${item.title}": ${decision.reasons.join('; ')}`);
    const req = withSubtitleChoice(this.subtitle, item, await this.deps.loadRequest(d, item, decision, startAt));
    this.gapless.drop();
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
    this.queueUpNext();
    this.changed();
  }

  /** The audio stream `item` plays here: the person's choice, else the first of the languages
   *  wanted here (the listener's own, else this receiver's) the file has, else its default. */
  protected audioOf(item: Playable): number {
    const d = this.deps.descriptor();
    return chosenAudio(this.audio, item, d && this.deps.audioLanguages ? this.deps.audioLanguages(d, this.q.listener ?? null) : []);
  }

  /** How `item` reaches receiver `d`: as is, re-wrapped or converted, with its audio stream mapped. */
  private decisionFor(item: Playable, d: ReceiverDescriptor): Decision {
    const audio = this.audioOf(item);
    const media = audio > 0 && item.mediaWithAudio ? item.mediaWithAudio(audio) : item.media;
    return media ? decide(media, this.deps.profile(d, media.video ? 'video' : 'audio'), audio) : { kind: 'direct', reasons: [] };
  }

  /** A queue entry for a library item. */
  protected entryFor(item: Playable): QueueEntry {
    return { entryId: this.nextEntryId++, itemId: item.id, title: item.title, ...(item.artist ? { artist: item.artist } : {}), kind: item.kind, duration: item.duration };
  }

  /** An episode playing last in the queue (repeat off): its show's next episode is queued after it,
   *  so it plays when this one ends and remotes show it as up next. */
  private queueUpNext(): void {
    const entry = this.q.entries[this.q.index];
    if (!entry || entry.kind !== 'video' || this.q.index !== this.q.entries.length - 1 || this.q.repeat !== 'off' || !this.deps.nextEpisode) return;
    try {
      const next = this.deps.nextEpisode(entry.itemId);
      const item = next !== undefined ? this.deps.item(next) : undefined;
      if (!item) return;
      const added: QueueEntry = { ...this.entryFor(item), upNext: true };
      this.q = { ...this.q, entries: [...this.q.entries, added], ...(this.q.unshuffled ? { unshuffled: [...this.q.unshuffled, added.entryId] } : {}) };
    } catch (err) {
      this.deps.log.warn('could not find the next episode', { receiver: this.receiverId, reason: (err as Error).message });
    }
  }

  /** Whether this receiver shows side-loaded subtitles (a TV, not a speaker or an AirPlay device). */
  protected showsSubtitles(): boolean {
    const d = this.deps.descriptor();
    return !!d && this.deps.profile(d, 'video').subtitleFormats.includes('webvtt');
  }

  private onStatus(from: Receiver, s: ReceiverStatus): void {
    if (from !== this.receiver) return;
    this.status = s;
    const finished = s.state === 'idle' && s.idleReason === 'finished' && !this.loading;
    // Gapless: the receiver went on to the preloaded item, whose 'playing' follows at once. Remotes
    // see one change (the next item playing), not the old one idle in between.
    if (finished && s.preloaded !== undefined && this.gapless.advanced(s.preloaded)) return;
    this.changed();
    // The item ended by itself: go on with the queue (not after a stop, an error or our own reload).
    const next = finished ? afterFinished(this.q) : undefined;
    if (next !== undefined) {
      void this.run(() => this.loadAt(next, 0)).catch((err: Error) => this.deps.log.warn('next item failed', { receiver: this.receiverId, reason: err.message }));
    }
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
  protected positionNow(): number {
    const s = this.status;
    return this.offset + s.position + (s.rate * (Date.now() - s.at)) / 1000;
  }

  protected changed(): void {
    const snapshot = this.snapshot();
    this.emit('changed', snapshot);
    this.progress?.observe(snapshot);
    this.gapless.schedule();
    // Saved at most once a second: positions change often, the queue rarely.
    this.saveTimer ??= setTimeout(() => this.save(), 1000).unref();
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.deps.store) return;
    const s = this.snapshot();
    const position = s.position + (s.rate * (Date.now() - s.at)) / 1000;
    this.deps.store.save(this.receiverId, { q: this.q, position, volume: s.volume, ...(this.subtitle ? { subtitle: this.subtitle } : {}), ...(this.audio ? { audio: this.audio } : {}) });
  }
}
