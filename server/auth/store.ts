// The accounts tables (migration 6): users, their devices, pairing links, and per-user limits.
// Tokens arrive here already hashed (tokens.ts); nothing here knows a token.
import type { Db } from '../db/connection.js';
import type { Device, Role, User } from './types.js';

type Row = Record<string, unknown>;

export class AuthStore {
  constructor(private db: Db) {}

  private userFrom = (r: Row): User => ({
    id: r.id as number,
    name: r.name as string,
    role: r.role as Role,
    hasPassword: r.password_hash !== null,
    createdAt: r.created_at as number,
    libraries: this.limits('user_libraries', 'library', r.id as number),
    receivers: this.limits('user_receivers', 'receiver_id', r.id as number) ?? [],
    maxTranscodes: (r.max_transcodes as number | null) ?? null,
    remoteBitrateKbps: (r.remote_bitrate_kbps as number | null) ?? null,
  });

  private limits(table: 'user_libraries' | 'user_receivers', column: string, userId: number): string[] | null {
    const list = this.db.prepare(`SELECT ${column} FROM ${table} WHERE user_id = ? ORDER BY ${column}`).pluck().all(userId) as string[];
    return list.length ? list : null;
  }

  hasOwner(): boolean {
    return this.db.prepare("SELECT 1 FROM users WHERE role = 'owner' LIMIT 1").get() !== undefined;
  }

  users(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as Row[]).map(this.userFrom);
  }

  user(id: number): User | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return r && this.userFrom(r);
  }

  userByName(name: string): (User & { passwordHash: string | null }) | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as Row | undefined;
    return r && { ...this.userFrom(r), passwordHash: r.password_hash as string | null };
  }

  createUser(name: string, role: Role, passwordHash: string | null): User {
    const id = this.db.prepare('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, passwordHash, Date.now()).lastInsertRowid;
    return this.user(Number(id))!;
  }

  updateUser(id: number, change: { name?: string; role?: Role; passwordHash?: string | null; libraries?: string[] | null; receivers?: string[]; maxTranscodes?: number | null; remoteBitrateKbps?: number | null }): void {
    this.db.transaction(() => {
      if (change.name !== undefined) this.db.prepare('UPDATE users SET name = ? WHERE id = ?').run(change.name, id);
      if (change.role !== undefined) this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(change.role, id);
      if (change.passwordHash !== undefined) this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(change.passwordHash, id);
      if (change.libraries !== undefined) this.replace('user_libraries', 'library', id, change.libraries ?? []);
      if (change.receivers !== undefined) this.replace('user_receivers', 'receiver_id', id, change.receivers);
      if (change.maxTranscodes !== undefined) this.db.prepare('UPDATE users SET max_transcodes = ? WHERE id = ?').run(change.maxTranscodes, id);
      if (change.remoteBitrateKbps !== undefined) this.db.prepare('UPDATE users SET remote_bitrate_kbps = ? WHERE id = ?').run(change.remoteBitrateKbps, id);
    })();
  }

  private replace(table: 'user_libraries' | 'user_receivers', column: string, userId: number, values: string[]): void {
    this.db.prepare(`DELETE FROM ${table} WHERE user_id = ?`).run(userId);
    const add = this.db.prepare(`INSERT OR IGNORE INTO ${table} (user_id, ${column}) VALUES (?, ?)`);
    for (const v of values) add.run(userId, v);
  }

  deleteUser(id: number): void {
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  private deviceFrom = (r: Row): Device => ({
    id: r.id as number,
    userId: r.user_id as number,
    userName: r.user_name as string,
    name: r.name as string,
    createdAt: r.created_at as number,
    lastSeenAt: r.last_seen_at as number,
    remote: r.remote === 1,
  });

  addDevice(userId: number, name: string, tokenHash: string, remote = false, now = Date.now()): Device {
    const id = this.db.prepare('INSERT INTO devices (user_id, name, token_hash, created_at, last_seen_at, remote) VALUES (?, ?, ?, ?, ?, ?)').run(userId, name, tokenHash, now, now, remote ? 1 : 0).lastInsertRowid;
    return this.device(Number(id))!;
  }

  device(id: number): Device | undefined {
    const r = this.db.prepare('SELECT d.*, u.name AS user_name FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?').get(id) as Row | undefined;
    return r && this.deviceFrom(r);
  }

  deviceByToken(tokenHash: string): Device | undefined {
    const r = this.db.prepare('SELECT d.*, u.name AS user_name FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = ?').get(tokenHash) as Row | undefined;
    return r && this.deviceFrom(r);
  }

  devices(userId?: number): Device[] {
    const sql = `SELECT d.*, u.name AS user_name FROM devices d JOIN users u ON u.id = d.user_id ${userId === undefined ? '' : 'WHERE d.user_id = ?'} ORDER BY d.id`;
    return (this.db.prepare(sql).all(...(userId === undefined ? [] : [userId])) as Row[]).map(this.deviceFrom);
  }

  touchDevice(id: number, at: number): void {
    this.db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?').run(at, id);
  }

  deleteDevice(id: number): void {
    this.db.prepare('DELETE FROM devices WHERE id = ?').run(id);
  }

  /** Also drops the links expired by `now`: the table holds only live ones. */
  addPairing(tokenHash: string, userId: number, createdBy: number, expiresAt: number, now: number): void {
    this.db.prepare('DELETE FROM pairings WHERE expires_at <= ?').run(now);
    this.db.prepare('INSERT INTO pairings (token_hash, user_id, created_by, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, createdBy, expiresAt);
  }

  /** Removes the pairing and says whom it was for: a token works once, whatever happens next. */
  takePairing(tokenHash: string): { userId: number; expiresAt: number } | undefined {
    return this.db.transaction(() => {
      const r = this.db.prepare('SELECT user_id, expires_at FROM pairings WHERE token_hash = ?').get(tokenHash) as Row | undefined;
      if (!r) return undefined;
      this.db.prepare('DELETE FROM pairings WHERE token_hash = ?').run(tokenHash);
      return { userId: r.user_id as number, expiresAt: r.expires_at as number };
    })();
  }
}
