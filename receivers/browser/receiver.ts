// "This device" as a Receiver: the page that shows the remote plays in its own media element
// (ui/src/data/browser-receiver.ts). Commands go to the page over its own connection (`link`), which
// answers once done (a load: once the element has the source and was told to play); the page
// reports its state and position, and the server stamps them on arrival. The page going away
// (closed, its connection lost) is `gone`, as a device that stops answering.
import { EventEmitter } from 'node:events';
import type { Capabilities, LoadRequest, Receiver, ReceiverEvents, ReceiverStatus } from '../types.js';
import type { BrowserCommandOf } from './commands.js';

export type BrowserCommand = BrowserCommandOf<LoadRequest>;

/** What the page reports (`at` is the server's, stamped on arrival). */
export type BrowserStatus = Omit<ReceiverStatus, 'at' | 'rate' | 'preloaded'>;

export interface BrowserLink {
  /** Resolves when the page did it; rejects with the page's reason, or when it is not there. */
  send(cmd: BrowserCommand): Promise<void>;
}

export class BrowserReceiver extends EventEmitter<ReceiverEvents> implements Receiver {
  readonly capabilities: Capabilities = { seek: true, volume: true, pause: true, subtitles: true };
  private st: ReceiverStatus = { state: 'idle', position: 0, at: Date.now(), rate: 0, duration: null, volume: { level: 1, muted: false } };
  private closed = false;

  constructor(readonly id: string, private link: () => BrowserLink | undefined, private onClose: (r: BrowserReceiver) => void) {
    super();
  }

  private async send(cmd: BrowserCommand): Promise<void> {
    const link = this.link();
    if (this.closed || !link) throw new Error('this device is not connected');
    await link.send(cmd);
  }

  async connect(): Promise<void> {
    if (!this.link()) throw new Error('this device is not connected');
  }

  load(req: LoadRequest): Promise<void> {
    return this.send({ op: 'load', req });
  }

  play(): Promise<void> {
    return this.send({ op: 'play' });
  }

  pause(): Promise<void> {
    return this.send({ op: 'pause' });
  }

  seek(seconds: number): Promise<void> {
    return this.send({ op: 'seek', position: seconds });
  }

  stop(): Promise<void> {
    return this.send({ op: 'stop' });
  }

  setVolume(level: number): Promise<void> {
    return this.send({ op: 'volume', level });
  }

  setMuted(muted: boolean): Promise<void> {
    return this.send({ op: 'mute', muted });
  }

  async setSubtitle(index: number | null): Promise<boolean> {
    await this.send({ op: 'subtitle', index });
    return true;
  }

  status(): ReceiverStatus {
    return this.st;
  }

  /** The page's report, true now. */
  report(s: BrowserStatus): void {
    if (this.closed) return;
    this.st = { ...s, at: Date.now(), rate: s.state === 'playing' ? 1 : 0 };
    this.emit('status', this.st);
  }

  /** The page went away. */
  lost(reason: string): void {
    if (!this.closed) this.emit('gone', reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.onClose(this);
  }
}
