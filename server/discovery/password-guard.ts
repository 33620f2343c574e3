// Wraps a receiver driver so that (1) a refusal for want of a password is noted in ReceiverSecrets
// before the session turns it into a plain error, and (2) a password given after the driver was
// made is used: the session keeps its driver between commands, so at the next connect or load a
// driver made with an older password is closed and a new one made with the current password.
// Everything else goes straight to the driver, its optional preload() too.
import { EventEmitter } from 'node:events';
import type { LoadRequest, Receiver, ReceiverEvents, ReceiverStatus } from '../../receivers/types.js';
import { isNeedsPassword, type ReceiverSecrets } from './secrets.js';

export function guardPassword(id: string, secrets: ReceiverSecrets, make: (password: string | undefined) => Receiver): Receiver {
  return new PasswordGuard(id, secrets, make);
}

class PasswordGuard extends EventEmitter<ReceiverEvents> implements Receiver {
  private inner: Receiver;
  private usedPassword: string | undefined;
  private readonly onStatus = (s: ReceiverStatus) => this.emit('status', s);
  private readonly onGone = (reason: string) => this.emit('gone', reason);

  constructor(readonly id: string, private secrets: ReceiverSecrets, private make: (password: string | undefined) => Receiver) {
    super();
    this.usedPassword = secrets.password(id);
    this.inner = this.attach(make(this.usedPassword));
  }

  get capabilities() {
    return this.inner.capabilities;
  }

  private attach(r: Receiver): Receiver {
    r.on('status', this.onStatus);
    r.on('gone', this.onGone);
    return r;
  }

  /** A new driver when the password changed since this one was made. */
  private async fresh(): Promise<Receiver> {
    const pw = this.secrets.password(this.id);
    if (pw === this.usedPassword) return this.inner;
    const old = this.inner;
    old.off('status', this.onStatus);
    old.off('gone', this.onGone);
    await old.close().catch(() => undefined);
    this.usedPassword = pw;
    this.inner = this.attach(this.make(pw));
    return this.inner;
  }

  private async watch<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      if (isNeedsPassword(err)) this.secrets.noteRefusal(this.id, err.wrong === true, err.message);
      throw err;
    }
  }

  async connect(): Promise<void> {
    const r = await this.fresh();
    return this.watch(r.connect());
  }

  async load(req: LoadRequest): Promise<void> {
    const before = this.inner;
    const r = await this.fresh();
    // A driver made just now has not connected yet.
    if (r !== before) await this.watch(r.connect());
    return this.watch(r.load(req));
  }

  play = () => this.watch(this.inner.play());
  pause = () => this.watch(this.inner.pause());
  seek = (s: number) => this.watch(this.inner.seek(s));
  stop = () => this.watch(this.inner.stop());
  setVolume = (l: number) => this.watch(this.inner.setVolume(l));
  setMuted = (m: boolean) => this.watch(this.inner.setMuted(m));
  /** False (reload) when the driver cannot change tracks in place. */
  setSubtitle = async (index: number | null) => (this.inner.setSubtitle ? this.watch(this.inner.setSubtitle(index)) : false);
  status = () => this.inner.status();
  close = () => this.inner.close();

  /**
   * The driver's optional gapless preload, there only when the driver has one: the session asks
   * for it by its presence, and a guard without it turned every track change into a new load.
   */
  get preload(): ((next: LoadRequest) => void) | undefined {
    return this.inner.preload ? (next: LoadRequest) => this.inner.preload?.(next) : undefined;
  }
}
