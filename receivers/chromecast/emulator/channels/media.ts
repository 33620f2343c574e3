// The media namespace of the Default Media Receiver (addressed to the app's transportId): one
// media session at a time, LOAD → BUFFERING → PLAYING/PAUSED → IDLE with an idleReason.
// LOAD is answered once the item plays (MEDIA_STATUS) or fails (LOAD_FAILED after an IDLE/ERROR
// broadcast), as the Cast Application Framework does. Commands carry the mediaSessionId they
// mean; a stale one gets INVALID_REQUEST (castv2-client and pychromecast both re-read it from
// every status).
import type { ChannelContext } from '../context.js';
import { NS } from '../context.js';
import type { IdleReasonWire } from '../events.js';
import { Playback, type PlaybackOptions } from '../player.js';
import type { Incoming } from '../server.js';
import { unsupportedReason } from '../support.js';
import { editTracks, fetchTextTrack, knownTrackIds, mediaTracks, textTrackIds, type MediaTrack } from '../text-tracks.js';
import { setVolume } from './receiver.js';

/** PAUSE | SEEK | STREAM_VOLUME | STREAM_MUTE | EDIT_TRACKS (no playback rate: the clock runs at 1×). */
const SUPPORTED_MEDIA_COMMANDS = 1 | 2 | 4 | 8 | 4096;
/** cast.framework.messages.DetailedErrorCode */
const MEDIA_NETWORK = 103;
const MEDIA_SRC_NOT_SUPPORTED = 104;

interface Session {
  id: number;
  url: string;
  media: Record<string, unknown>;
  playback: Playback;
  /** Fetched and probed: the clock may run. */
  loaded: boolean;
  wantPlaying: boolean;
  startAt: number;
  activeTrackIds: number[];
  tracks: MediaTrack[];
  /** Text tracks active before `enableTextTracks: false`, for `enableTextTracks: true`. */
  previousText: number[];
  textFetches: AbortController;
  ended: boolean;
  endedBy?: IdleReasonWire;
}

type Status = Record<string, unknown>;

export class MediaChannel {
  private session: Session | null = null;
  private nextId = 1;

  constructor(
    private readonly ctx: ChannelContext,
    private readonly opts: PlaybackOptions,
    /** A media SET_VOLUME changes the device volume: the receiver status must follow. */
    private readonly onVolume: () => void,
  ) {}

  handle(msg: Incoming): void {
    const data = msg.data ?? {};
    const requestId = data.requestId ?? 0;
    if (data.type === 'GET_STATUS') return this.reply(msg, this.statusList());
    if (data.type === 'LOAD') return void this.load(msg);
    const s = this.session;
    const known = ['PLAY', 'PAUSE', 'SEEK', 'STOP', 'SET_VOLUME', 'EDIT_TRACKS_INFO'];
    if (typeof data.type !== 'string' || !known.includes(data.type)) {
      this.ctx.reply(msg, { type: 'INVALID_REQUEST', requestId, reason: 'INVALID_COMMAND' });
      return;
    }
    if (!s || s.ended || data.mediaSessionId !== s.id) {
      this.ctx.reply(msg, { type: 'INVALID_REQUEST', requestId, reason: 'INVALID_MEDIA_SESSION_ID' });
      return;
    }
    switch (data.type) {
      case 'PLAY':
      case 'PAUSE':
        this.setPlaying(s, data.type === 'PLAY');
        return this.replyAndBroadcast(msg);
      case 'SEEK':
        return void this.seek(msg, s);
      case 'STOP':
        return this.reply(msg, [this.end(s, 'CANCELLED')]);
      case 'SET_VOLUME':
        setVolume(this.ctx, (data.volume ?? {}) as { level?: unknown; muted?: unknown });
        this.onVolume();
        return this.replyAndBroadcast(msg);
      case 'EDIT_TRACKS_INFO':
        return void this.editTracks(msg, s);
    }
  }

  /** The app stops: its media ends as CANCELLED. */
  stopForApp(): void {
    if (this.session && !this.session.ended) this.end(this.session, 'CANCELLED');
  }

  volumeChanged(): void {
    if (this.session && !this.session.ended) this.broadcast(this.statusList());
  }

  /** Emulator shutdown: stop fetching, say nothing. */
  close(): void {
    this.session?.playback.stop();
  }

  private async load(msg: Incoming): Promise<void> {
    const data = msg.data ?? {};
    const requestId = data.requestId ?? 0;
    const media = data.media as Record<string, unknown> | undefined;
    // CAF prefers contentUrl when a sender sets both.
    const url = [media?.contentUrl, media?.contentId].find((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
    if (!media || !url) {
      this.ctx.reply(msg, { type: 'INVALID_REQUEST', requestId, reason: 'INVALID_PARAMS' });
      return;
    }
    if (this.session && !this.session.ended) this.end(this.session, 'INTERRUPTED');
    const tracks = mediaTracks(media);
    const s: Session = {
      id: this.nextId++, url, media: { ...media }, playback: new Playback(url, this.opts), loaded: false,
      wantPlaying: data.autoplay !== false, startAt: typeof data.currentTime === 'number' ? Math.max(0, data.currentTime) : 0,
      activeTrackIds: knownTrackIds(tracks, data.activeTrackIds), tracks, previousText: [], textFetches: new AbortController(), ended: false,
    };
    this.session = s;
    s.playback.on('ended', () => !s.ended && this.end(s, 'FINISHED'));
    s.playback.on('error', (err) => !s.ended && this.end(s, 'ERROR', err.message));
    s.playback.on('stall', () => this.stateChanged(s));
    s.playback.on('unstall', () => this.stateChanged(s));
    this.ctx.emit({ event: 'load', url, contentType: String(media.contentType ?? ''), position: s.startAt, mediaSessionId: s.id, activeTrackIds: s.activeTrackIds });
    this.broadcast(this.statusList());
    // Side-loaded text loads beside the media, as a <track> does; PLAYING waits for both.
    const text = this.fetchTextTracks(s, textTrackIds(s.tracks, s.activeTrackIds));

    const failed = (reason: string, code = MEDIA_NETWORK) => this.ctx.reply(msg, { type: 'LOAD_FAILED', requestId, detailedErrorCode: code, customData: { reason } });
    /** Answers and returns true when the session ended while loading: another LOAD or a STOP cancels it, an error fails it. */
    const over = (): boolean => {
      if (this.session === s && !s.ended) return false;
      if (this.session === s && s.endedBy === 'ERROR') failed('the media connection broke');
      else this.ctx.reply(msg, { type: 'LOAD_CANCELLED', requestId });
      return true;
    };
    let probe;
    try {
      probe = await s.playback.open(typeof media.duration === 'number' ? media.duration : null);
    } catch (err) {
      if (over()) return;
      this.end(s, 'ERROR', (err as Error).message);
      failed((err as Error).message);
      return;
    }
    if (over()) return;
    const refusal = unsupportedReason(this.ctx.profile, probe);
    if (refusal) {
      this.ctx.emit({ event: 'refused', url, reason: refusal, mediaSessionId: s.id });
      this.end(s, 'ERROR', refusal, false);
      failed(refusal, MEDIA_SRC_NOT_SUPPORTED);
      return;
    }
    const duration = s.playback.duration;
    if (duration !== null) s.media.duration = duration;
    if (s.startAt > 0) await s.playback.seek(s.startAt);
    if (over()) return;
    await text;
    if (over()) return;
    s.loaded = true;
    if (s.wantPlaying) s.playback.play();
    else s.playback.pause();
    this.report(s);
    this.replyAndBroadcast(msg);
  }

  private async seek(msg: Incoming, s: Session): Promise<void> {
    const data = msg.data ?? {};
    const position = s.loaded ? s.playback.position() : s.startAt;
    const target = typeof data.currentTime === 'number' ? data.currentTime : typeof data.relativeTime === 'number' ? position + data.relativeTime : null;
    if (target === null || !Number.isFinite(target)) {
      this.ctx.reply(msg, { type: 'INVALID_REQUEST', requestId: data.requestId ?? 0, reason: 'INVALID_PARAMS' });
      return;
    }
    if (data.resumeState === 'PLAYBACK_START') this.setPlaying(s, true);
    if (data.resumeState === 'PLAYBACK_PAUSE') this.setPlaying(s, false);
    const duration = typeof s.media.duration === 'number' ? s.media.duration : Infinity;
    const to = Math.min(Math.max(0, target), duration);
    this.ctx.emit({ event: 'seek', url: s.url, position: to, mediaSessionId: s.id });
    if (!s.loaded) {
      s.startAt = to;
      return this.replyAndBroadcast(msg);
    }
    const done = s.playback.seek(to);
    if (s.playback.isStalled) this.broadcast(this.statusList());
    await done;
    this.replyAndBroadcast(msg);
  }

  /** Applies EDIT_TRACKS_INFO and fetches the text tracks it turned on before answering; a request naming no such track changes nothing. */
  private async editTracks(msg: Incoming, s: Session): Promise<void> {
    const data = msg.data ?? {};
    const next = editTracks(s.tracks, s.activeTrackIds, s.previousText, data);
    if (!next) {
      this.ctx.reply(msg, { type: 'INVALID_REQUEST', requestId: data.requestId ?? 0, reason: 'INVALID_PARAMS' });
      return;
    }
    const before = textTrackIds(s.tracks, s.activeTrackIds);
    const after = textTrackIds(s.tracks, next);
    if (before.length && !after.length) s.previousText = before;
    s.activeTrackIds = next;
    this.ctx.emit({ event: 'tracks', url: s.url, activeTrackIds: next, mediaSessionId: s.id });
    await this.fetchTextTracks(s, after.filter((id) => !before.includes(id)));
    this.replyAndBroadcast(msg);
  }

  /** A text track that cannot be fetched or read is not shown (its event says why); the media plays on. */
  private async fetchTextTracks(s: Session, ids: number[]): Promise<void> {
    await Promise.all(ids.map(async (trackId) => {
      const track = s.tracks.find((t) => t.trackId === trackId)!;
      const base = { event: 'text-track' as const, trackId, url: track.trackContentId ?? '', mediaSessionId: s.id };
      try {
        const cues = await fetchTextTrack(track, s.textFetches.signal);
        this.ctx.emit({ ...base, cues });
      } catch (err) {
        if (!s.ended) this.ctx.emit({ ...base, error: (err as Error).message });
      }
    }));
  }

  /** PLAY / PAUSE (or a SEEK's resumeState): runs or stops the clock, reports a change of state. */
  private setPlaying(s: Session, want: boolean): void {
    const before = this.playerState(s);
    s.wantPlaying = want;
    if (!s.loaded) return;
    if (want) s.playback.play();
    else s.playback.pause();
    if (this.playerState(s) !== before) this.report(s);
  }

  private stateChanged(s: Session): void {
    if (this.session !== s || s.ended) return;
    this.report(s);
    this.broadcast(this.statusList());
  }

  private report(s: Session): void {
    const state = this.playerState(s);
    const base = { url: s.url, position: Math.round(s.playback.position() * 1000) / 1000, mediaSessionId: s.id };
    const p = s.playback.probe;
    if (state === 'PLAYING' && p) {
      const duration = typeof s.media.duration === 'number' ? s.media.duration : null;
      this.ctx.emit({ event: 'playing', ...base, duration, container: p.container, videoCodec: p.videoCodec, audioCodec: p.audioCodec, width: p.width, height: p.height });
    } else if (state === 'PAUSED') this.ctx.emit({ event: 'paused', ...base });
    else if (state === 'BUFFERING') this.ctx.emit({ event: 'buffering', ...base });
  }

  /** Ends the session, broadcasts its IDLE status once and returns it. */
  private end(s: Session, reason: IdleReasonWire, error?: string, reportEvent = true): Status {
    const status: Status = { ...this.statusOf(s), playerState: 'IDLE', idleReason: reason };
    s.ended = true;
    s.endedBy = reason;
    s.playback.stop();
    s.textFetches.abort();
    if (reportEvent) this.ctx.emit({ event: 'idle', url: s.url, reason, position: status.currentTime as number, mediaSessionId: s.id, ...(error ? { error } : {}) });
    this.broadcast([status]);
    return status;
  }

  private playerState(s: Session): 'IDLE' | 'BUFFERING' | 'PLAYING' | 'PAUSED' {
    if (s.ended) return 'IDLE';
    if (!s.loaded || s.playback.isStalled) return 'BUFFERING';
    return s.wantPlaying ? 'PLAYING' : 'PAUSED';
  }

  private statusOf(s: Session): Status {
    return {
      mediaSessionId: s.id,
      playbackRate: 1,
      playerState: this.playerState(s),
      currentTime: Math.round((s.loaded ? s.playback.position() : s.startAt) * 1000) / 1000,
      supportedMediaCommands: SUPPORTED_MEDIA_COMMANDS,
      volume: { ...this.ctx.state.volume },
      activeTrackIds: s.activeTrackIds,
      repeatMode: 'REPEAT_OFF',
      media: s.media,
    };
  }

  /** `status: []` when nothing is loaded, as a device answers after an item ended. */
  private statusList(): Status[] {
    return this.session && !this.session.ended ? [this.statusOf(this.session)] : [];
  }

  private reply(msg: Incoming, status: Status[]): void {
    this.ctx.reply(msg, { type: 'MEDIA_STATUS', requestId: msg.data?.requestId ?? 0, status });
  }

  private replyAndBroadcast(msg: Incoming): void {
    const status = this.statusList();
    this.reply(msg, status);
    this.broadcast(status);
  }

  private broadcast(status: Status[]): void {
    const app = this.ctx.state.app;
    if (app) this.ctx.broadcast(app.transportId, NS.media, { type: 'MEDIA_STATUS', requestId: 0, status });
  }
}
