// What the server knows about receiver passwords: the one the user gave in a remote (kept in
// SQLite) or the config's, whether a receiver needs one (discovery's `pw=true`, the config, or a
// refusal we saw), and the refusals themselves, so a command that failed for want of a password
// can be answered with code 'needs-password'. Remotes get `needsPassword` and `hasPassword`,
// never the password.
import { EventEmitter } from 'node:events';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { PasswordMark, SecretStore } from '../db/secret-store.js';

/** A receiver as remotes see it. */
export type ReceiverView = ReceiverDescriptor & { needsPassword: boolean; hasPassword: boolean };

export interface ConfiguredSecret {
  password?: string;
  needsPassword?: boolean;
}

export interface Refusal {
  seq: number;
  receiverId: string;
  wrong: boolean;
  /** The driver's words: the session's error carries them, which ties a failed command to this refusal. */
  message: string;
}

/** Duck-typed NeedsPasswordError (receivers/types.ts): drivers may also rebuild it from a status. */
export function isNeedsPassword(err: unknown): err is Error & { code: 'needs-password'; wrong?: boolean } {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'needs-password';
}

export class ReceiverSecrets extends EventEmitter<{ changed: [string] }> {
  /** Receivers marked as needing a password: a device refused us, or the user gave one. */
  private learned: Map<string, PasswordMark>;
  private last = new Map<string, Refusal>();
  private counter = 0;

  constructor(
    private store: SecretStore,
    /** Config entries by receiver id. */
    private configured: ReadonlyMap<string, ConfiguredSecret> = new Map(),
  ) {
    super();
    this.learned = store.needsPassword();
  }

  /** The password to connect with: the user's, else the config's. */
  password(id: string): string | undefined {
    return this.store.password(id) ?? this.configured.get(id)?.password;
  }

  setPassword(id: string, password: string): void {
    this.store.setPassword(id, password);
    if (!this.learned.has(id)) this.learned.set(id, 'given');
    this.last.delete(id);
    this.emit('changed', id);
  }

  /** Forgets the user's password; a mark that only giving it set goes too (a device's refusal stays). */
  forgetPassword(id: string): void {
    const still = this.store.forgetPassword(id);
    if (still) this.learned.set(id, still);
    else this.learned.delete(id);
    this.emit('changed', id);
  }

  view(d: ReceiverDescriptor): ReceiverView {
    const c = this.configured.get(d.id);
    const needsPassword = Boolean(d.needsPassword || c?.needsPassword || c?.password || this.learned.has(d.id));
    return { ...d, needsPassword, hasPassword: this.password(d.id) !== undefined };
  }

  /** A number to pass to `refusalSince` later: refusals noted after now have a higher seq. */
  mark(): number {
    return this.counter;
  }

  /** A driver said it needs a password (or that ours is wrong). */
  noteRefusal(id: string, wrong: boolean, message = ''): void {
    this.last.set(id, { seq: ++this.counter, receiverId: id, wrong, message });
    const before = this.learned.get(id);
    if (before !== 'refused') {
      this.learned.set(id, 'refused');
      this.store.markNeedsPassword(id);
      if (before === undefined) this.emit('changed', id);
    }
  }

  /** The refusal of this receiver noted after `mark`, if any. */
  refusalSince(id: string, mark: number): Refusal | undefined {
    const r = this.last.get(id);
    return r && r.seq > mark ? r : undefined;
  }
}
