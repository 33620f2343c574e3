// What a tap does, as socket commands for the receiver this remote controls. Failures are
// reported once, through `onError`, in the server's words; callers may ignore the promise.
// A command refused because the receiver wants a password goes to `askPassword` instead, and is
// sent again once the password is saved. With no receiver chosen, `askReceiver` lets the user
// pick one (the picker) and the command goes there; the remote never picks one by itself.
import type { CommandArgs, CommandName } from '../../../server/api/messages.js';
import { fetchAll } from './library.js';
import { CommandError, type Remote } from './socket.js';
import type { CommandResult, Repeat } from './types.js';

export type PlayMode = 'replace' | 'next' | 'append';

/** Commands that name a receiver, without it: the controller adds the current one. */
type ReceiverCommand = { [C in CommandName]: CommandArgs<C> extends { receiver: string } ? C : never }[CommandName];
type WithoutReceiver<C extends CommandName> = Omit<CommandArgs<C>, 'receiver'>;

export class Controller {
  constructor(
    private remote: Pick<Remote, 'command'>,
    private receiver: () => string | null,
    private onError: (message: string) => void,
    /** Resolves true once the user gave a password and the server kept it. */
    private askPassword?: (receiverId: string, wrong: boolean) => Promise<boolean>,
    /** Resolves with the receiver the user picked, or null when they left the picker. */
    private askReceiver?: () => Promise<string | null>,
  ) {}

  private async send<C extends ReceiverCommand>(name: C, args: WithoutReceiver<C>, receiver = this.receiver()): Promise<boolean> {
    if (!receiver && this.askReceiver) receiver = await this.askReceiver();
    if (!receiver) {
      // Leaving the picker is the user's answer: nothing to report.
      if (!this.askReceiver) this.onError('Choose a receiver first');
      return false;
    }
    try {
      await this.remote.command(name, { ...args, receiver } as CommandArgs<C>);
      return true;
    } catch (err) {
      const refusal = err instanceof CommandError ? err.refusal : undefined;
      if (refusal && this.askPassword) {
        // Same command, same receiver, after the password is saved; cancel ends it quietly.
        return (await this.askPassword(refusal.receiver, refusal.wrong)) ? this.send(name, args, receiver) : false;
      }
      this.onError((err as Error).message);
      return false;
    }
  }

  /** `from`: 'resume' starts the first item where it was left (the person chose so: rc-resume-prompt.ts). */
  play(ids: number[], mode: PlayMode = 'replace', startIndex = 0, from: 'resume' | 'start' = 'start'): Promise<boolean> {
    if (ids.length === 0) return Promise.resolve(false);
    return this.send('playback:play', { what: ids, mode, startIndex, from });
  }

  /** An album is its tracks in disc and track order; `fromTrack` starts the queue there. */
  async playAlbum(albumId: number, mode: PlayMode = 'replace', fromTrack?: number): Promise<boolean> {
    try {
      const ids = (await fetchAll('tracks', { albumId })).map((t) => t.id);
      return this.play(ids, mode, fromTrack === undefined ? 0 : Math.max(0, ids.indexOf(fromTrack)));
    } catch (err) {
      this.onError((err as Error).message);
      return false;
    }
  }

  async playArtist(artistId: number, mode: PlayMode = 'replace'): Promise<boolean> {
    try {
      const tracks = await fetchAll('tracks', { artistId });
      return this.play(tracks.map((t) => t.id), mode);
    } catch (err) {
      this.onError((err as Error).message);
      return false;
    }
  }

  // `receiver`: another than the chosen one (the session the lock screen shows: this device's own).
  pause = (receiver?: string) => this.send('playback:pause', {}, receiver);
  resume = (receiver?: string) => this.send('playback:resume', {}, receiver);
  stop = (receiver?: string) => this.send('playback:stop', {}, receiver);
  next = (receiver?: string) => this.send('playback:next', {}, receiver);
  previous = (receiver?: string) => this.send('playback:previous', {}, receiver);
  /** `receiver`: another than the chosen one (the session this device plays in, for its lock screen). */
  seek = (position: number, receiver?: string) => this.send('playback:seek', { position: Math.max(0, position) }, receiver ?? this.receiver());
  volume = (level: number) => this.send('playback:volume', { level: Math.min(1, Math.max(0, level)) });
  mute = (muted: boolean) => this.send('playback:mute', { muted });
  shuffle = (on: boolean) => this.send('playback:shuffle', { on });
  repeat = (mode: Repeat) => this.send('playback:repeat', { mode });
  /** A text track of the playing item by its index, or null for none. */
  subtitle = (index: number | null) => this.send('playback:subtitles', { index });
  /** An audio stream (language) of the playing video by its index: it reloads where it is. */
  audio = (index: number) => this.send('playback:audio', { index });
  jump = (entryId: number) => this.send('queue:jump', { entryId });
  remove = (entryId: number) => this.send('queue:remove', { entryId });
  /** `to`: the entry's new 0-based index; the order shown comes back in the pushed session. */
  move = (entryId: number, to: number) => this.send('queue:move', { entryId, to: Math.max(0, Math.floor(to)) });
  /** "Move to…": what plays here goes on on `to`, and this receiver stops. */
  moveTo = (to: string) => this.send('playback:move', { to });

  /** Plays a playlist here, in its order from `startIndex`, or shuffled. */
  playPlaylist = (playlist: number, shuffle = false, startIndex = 0) => this.send('playlist:play', { playlist, shuffle, startIndex });

  /** A playlist change; null when refused (reported). */
  async playlist<C extends PlaylistCommand>(name: C, args: CommandArgs<C>): Promise<CommandResult<C> | null> {
    try {
      return await this.remote.command(name, args);
    } catch (err) {
      this.onError((err as Error).message);
      return null;
    }
  }

  /** A group command (groups are named by id, not the current receiver); null when refused (reported). */
  async group<C extends GroupCommand>(name: C, args: CommandArgs<C>): Promise<CommandResult<C> | null> {
    try {
      return await this.remote.command(name, args);
    } catch (err) {
      this.onError((err as Error).message);
      return null;
    }
  }
}

type GroupCommand = Extract<CommandName, `group:${string}`>;
type PlaylistCommand = Exclude<Extract<CommandName, `playlist:${string}`>, 'playlist:play'>;
