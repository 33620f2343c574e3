// Receiver passwords the user gave in a remote, one row per receiver id, and whether a device has
// refused us for want of one. Plain text: AirPlay's Digest auth needs the password itself. The
// rows never leave the server; remotes only learn that a password is kept.
import type { Db } from './connection.js';

export interface SecretStore {
  password(receiverId: string): string | undefined;
  setPassword(receiverId: string, password: string): void;
  /** Clears the password; the learned "needs a password" stays. */
  forgetPassword(receiverId: string): void;
  /** Ids of receivers that refused to play without a password. */
  needsPassword(): Set<string>;
  markNeedsPassword(receiverId: string): void;
}

export function sqliteSecretStore(db: Db): SecretStore {
  const get = db.prepare('SELECT password FROM receiver_secrets WHERE receiver_id = ?').pluck();
  const set = db.prepare(
    'INSERT INTO receiver_secrets (receiver_id, password, needs_password, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT (receiver_id) DO UPDATE SET password = excluded.password, needs_password = 1, updated_at = excluded.updated_at',
  );
  const forget = db.prepare('UPDATE receiver_secrets SET password = NULL, updated_at = ? WHERE receiver_id = ?');
  const needs = db.prepare('SELECT receiver_id FROM receiver_secrets WHERE needs_password = 1').pluck();
  const mark = db.prepare(
    'INSERT INTO receiver_secrets (receiver_id, password, needs_password, updated_at) VALUES (?, NULL, 1, ?) ON CONFLICT (receiver_id) DO UPDATE SET needs_password = 1, updated_at = excluded.updated_at',
  );
  return {
    password: (id) => (get.get(id) as string | null | undefined) ?? undefined,
    setPassword: (id, password) => void set.run(id, password, Date.now()),
    forgetPassword: (id) => void forget.run(Date.now(), id),
    needsPassword: () => new Set(needs.all() as string[]),
    markNeedsPassword: (id) => void mark.run(id, Date.now()),
  };
}
