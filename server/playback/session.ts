// One playback session per receiver: the commands a person gives it (play, pause, seek, the
// queue, volume, subtitles) and "move to…"'s hand-off and take-over, run one at a time on its
// receiver link (session-core.ts: state, loads, status, snapshot; gapless.ts: gapless hand-over).
import { SessionCore, PlaybackError } from './session-core.js';
import { indexOfEntry, moveEntry, nextIndex, removeEntry, setShuffle, type QueueState, type Repeat } from './queue.js';
import type { Handoff, SessionSnapshot } from './session-types.js';

export type { QueueEntry } from './queue.js';
export type { Handoff, SavedSession, SessionDeps, SessionSnapshot, SessionStore } from './session-types.js';
export { PlaybackError } from './session-core.js';
export { PRELOAD_AHEAD_S } from './gapless.js';

export type PlayMode = 'replace' | 'next' | 'append';
/** Where a replacing play starts its first item: where it was left (a resume position), or its start. */
export type PlayFrom = 'resume' | 'start';

export class Session extends SessionCore {
  /** What "move to…" takes to another receiver (move.ts): the queue, and where it is, read when needed. */
  handOff(): Handoff {
    if (!this.current || this.q.index < 0 || this.status.state === 'idle') throw new PlaybackError('nothing to move: nothing is playing here');
    // The language playing goes along (also when it was this receiver's preference, not a choice).
    const audio = this.current.audio?.length ? { itemId: this.current.id, index: this.audioOf(this.current) } : this.audio;
    return { q: this.q, subtitle: this.subtitle, audio, paused: this.status.state === 'paused', position: () => this.positionNow() };
  }

  /** Plays what another session handed off, from where it is once this receiver is ready; on failure the queue here stays. */
  takeOver(h: Handoff): Promise<SessionSnapshot> {
    return this.run(async () => {
      const before = { q: this.q, subtitle: this.subtitle, audio: this.audio };
      await this.ensureReceiver();
      try {
        this.adopt(h.q, h.subtitle, h.audio);
        await this.loadAt(h.q.index, h.position());
        if (h.paused) await this.connected().pause();
      } catch (err) {
        this.adopt(before.q, before.subtitle, before.audio);
        throw err instanceof PlaybackError ? err : new PlaybackError((err as Error).message);
      }
      return this.snapshot();
    });
  }

  /** `by`: the user who plays (a replaced queue becomes theirs: their resume positions and plays). */
  play(itemIds: number[], mode: PlayMode = 'replace', startIndex = 0, from: PlayFrom = 'start', by?: number): Promise<SessionSnapshot> {
    return this.run(async () => {
      const entries = itemIds.map((id) => {
        const item = this.deps.item(id);
        if (!item) throw new PlaybackError(`no library item ${id}`);
        return this.entryFor(item);
      });
      if (entries.length === 0) throw new PlaybackError('nothing to play');
      if (mode === 'replace' || this.q.index < 0) {
        const kept = mode === 'replace' ? [] : this.q.entries;
        this.q = { ...this.q, entries: [...kept, ...entries], shuffle: false, ...(by !== undefined ? { listener: by } : {}) };
        delete this.q.unshuffled;
        const at = kept.length + (mode === 'replace' ? Math.min(Math.max(startIndex, 0), entries.length - 1) : 0);
        const resumeAt = from === 'resume' ? (this.deps.remember?.(this.q.listener ?? null).resumeAt(this.q.entries[at]!.itemId) ?? 0) : 0;
        await this.loadAt(at, resumeAt);
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

  /**
   * Plays the current video's audio stream `index` (a language): a reload at the current position,
   * since the stream is chosen where it is made (`-map 0:a:N`); when nothing plays, it waits for the item.
   */
  setAudio(index: number): Promise<SessionSnapshot> {
    return this.run(async () => {
      const item = this.current;
      if (!item) throw new PlaybackError('nothing is playing');
      const streams = item.audio ?? [];
      if (!streams[index]) {
        const has = streams.length ? `${streams.length} audio track${streams.length > 1 ? 's' : ''}` : 'no audio tracks to choose from';
        throw new PlaybackError(`"${item.title}" has ${has}; there is no audio track at index ${index}`);
      }
      const before = this.audio;
      this.audio = { itemId: item.id, index };
      const s = this.status;
      try {
        if (this.receiver && s.state !== 'idle') {
          await this.loadAt(this.q.index, this.positionNow());
          if (s.state === 'paused') await this.receiver.pause();
        }
      } catch (err) {
        this.audio = before;
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
}
