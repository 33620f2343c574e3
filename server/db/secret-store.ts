// Receiver passwords the user gave in a remote, one row per receiver id, and why a receiver is
// marked as needing one. AirPlay's Digest auth needs the password itself, so it is sealed, not
// hashed: AES-256-GCM (sealed.ts) with the key in <dataDir>/secrets-key, beside the URL-signing
// key. Rows from before sealing are sealed when the store opens, with SQLite's secure_delete on
// and the WAL truncated after, so the plain text is left in neither file.
// needs_password: 0 no mark; 1 the device refused us for want of one; 2 only because the user gave
// one (forgetting it takes that mark away again).
import type { Db } from './connection.js';
import { SEALED_PREFIX, seal, unseal } from './sealed.js';

export type PasswordMark = 'refused' | 'given';

export interface SecretStore {
  password(receiverId: string): string | undefined;
  setPassword(receiverId: string, password: string): void;
  /** Clears the password, and the mark giving it set; a device's refusal stays. */
  forgetPassword(receiverId: string): PasswordMark | undefined;
  /** Receivers marked as needing a password, and why. */
  needsPassword(): Map<string, PasswordMark>;
  markNeedsPassword(receiverId: string): void;
}

const MARKS: Record<number, PasswordMark> = { 1: 'refused', 2: 'given' };

export function sqliteSecretStore(db: Db, key: Buffer): SecretStore {
  if (key.length !== 32) throw new Error('the password sealing key must be 32 bytes');
  sealPlainRows(db, key);
  const get = db.prepare('SELECT password FROM receiver_secrets WHERE receiver_id = ?').pluck();
  const set = db.prepare(
    `INSERT INTO receiver_secrets (receiver_id, password, needs_password, updated_at) VALUES (?, ?, 2, ?)
     ON CONFLICT (receiver_id) DO UPDATE SET password = excluded.password, needs_password = CASE WHEN needs_password = 1 THEN 1 ELSE 2 END, updated_at = excluded.updated_at`,
  );
  const forget = db.prepare('UPDATE receiver_secrets SET password = NULL, needs_password = CASE WHEN needs_password = 2 THEN 0 ELSE needs_password END, updated_at = ? WHERE receiver_id = ? RETURNING needs_password').pluck();
  const needs = db.prepare('SELECT receiver_id, needs_password FROM receiver_secrets WHERE needs_password IN (1, 2)').raw();
  const mark = db.prepare(
    'INSERT INTO receiver_secrets (receiver_id, password, needs_password, updated_at) VALUES (?, NULL, 1, ?) ON CONFLICT (receiver_id) DO UPDATE SET needs_password = 1, updated_at = excluded.updated_at',
  );
  return {
    password: (id) => {
      const sealed = get.get(id) as string | null | undefined;
      // Sealed with a key that is gone (secrets-key deleted): as if never given; the mark stays.
      return sealed ? unseal(key, sealed, id) : undefined;
    },
    setPassword: (id, password) => void set.run(id, seal(key, password, id), Date.now()),
    forgetPassword: (id) => MARKS[(forget.get(Date.now(), id) as number | undefined) ?? 0],
    needsPassword: () => new Map((needs.all() as [string, number][]).map(([id, n]) => [id, MARKS[n]!])),
    markNeedsPassword: (id) => void mark.run(id, Date.now()),
  };
}

/** Rows written before passwords were sealed (plain text) are sealed now, leaving no plain copy behind. */
function sealPlainRows(db: Db, key: Buffer): void {
  const plain = db.prepare(`SELECT receiver_id, password FROM receiver_secrets WHERE password IS NOT NULL AND substr(password, 1, ${SEALED_PREFIX.length}) <> ?`).raw().all(SEALED_PREFIX) as [string, string][];
  if (plain.length === 0) return;
  const update = db.prepare('UPDATE receiver_secrets SET password = ? WHERE receiver_id = ?');
  const before = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    db.transaction(() => {
      for (const [id, password] of plain) update.run(seal(key, password, id), id);
    })();
    // The WAL still holds the old pages: copy the new ones home and empty it.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
  }
}
