// Accounts: the first-start setup token, sign-in by password (with back-off per address), pairing
// links, device tokens and their revocation, and the owner's user management. In lan-open mode
// everyone is the owner and nothing here is asked. Emits `signed-out` with the device ids whose
// open connections must close now (revoked, or their user deleted), and `rights-changed` with
// those whose user's role or limits changed (their connections start again with the new rights).
import { EventEmitter } from 'node:events';
import type { Logger } from '../util/log.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { loginBackOff, type BackOff } from './rate-limit.js';
import type { AuthStore } from './store.js';
import { newToken, sameSecret, tokenHash } from './tokens.js';
import { AuthError, atLeast, type Device, type Role, type Session, type User } from './types.js';

export type AuthMode = 'accounts' | 'lan-open';
export const PAIRING_TTL_MS = 10 * 60_000;
/** Paired phones without a named account of their own join this member account. */
export const HOUSEHOLD = 'Household';

const LAN_USER: User = { id: 0, name: 'LAN', role: 'owner', hasPassword: false, createdAt: 0, libraries: null, receivers: [] };

export interface SignedIn {
  token: string;
  device: Device;
  user: User;
}

export interface UserChange {
  name?: string | undefined;
  role?: Role | undefined;
  password?: string | undefined;
  libraries?: string[] | null | undefined;
  receivers?: string[] | undefined;
  maxTranscodes?: number | null | undefined;
  remoteBitrateKbps?: number | null | undefined;
}

export class AuthService extends EventEmitter<{ 'signed-out': [deviceIds: number[]]; 'rights-changed': [deviceIds: number[]] }> {
  readonly mode: AuthMode;
  /** While no owner exists: the one-time token of the setup link. */
  setupToken: string | undefined;
  private backOff: BackOff;
  private now: () => number;
  /** How long a device signed in from outside may go unused (the owner's setting, read each time). */
  private remoteIdleMs: () => number;

  constructor(private store: AuthStore, o: { mode: AuthMode; log: Logger; now?: () => number; backOff?: BackOff; remoteIdleMs?: () => number }) {
    super();
    this.mode = o.mode;
    this.now = o.now ?? Date.now;
    this.remoteIdleMs = o.remoteIdleMs ?? (() => 30 * 24 * 3600_000);
    this.backOff = o.backOff ?? loginBackOff({ now: this.now });
    if (o.mode === 'accounts' && !store.hasOwner()) this.setupToken = newToken();
  }

  get open(): boolean {
    return this.mode === 'lan-open';
  }

  needsSetup(): boolean {
    return !this.open && this.setupToken !== undefined;
  }

  /** The session a device token (cookie or bearer) stands for; lan-open: everyone is the owner. */
  authenticate(token: string | undefined): Session | undefined {
    if (this.open) return { user: LAN_USER, device: null };
    if (!token) return undefined;
    const device = this.store.deviceByToken(tokenHash(token));
    const user = device && this.store.user(device.userId);
    if (!device || !user) return undefined;
    // A session from outside expires when unused; one made at home lasts (a phone on the sofa stays signed in).
    if (device.remote && this.now() - device.lastSeenAt > this.remoteIdleMs()) {
      this.store.deleteDevice(device.id);
      this.emit('signed-out', [device.id]);
      return undefined;
    }
    // Written at most once a minute: a request is not a database write.
    if (this.now() - device.lastSeenAt > 60_000) this.store.touchDevice(device.id, (device.lastSeenAt = this.now()));
    return { user, device };
  }

  async setup(token: string, name: string, password: string, deviceName: string, remote = false): Promise<SignedIn> {
    if (!this.setupToken || !sameSecret(token, this.setupToken)) throw new AuthError(403, this.setupToken ? 'this setup link is not valid' : 'the owner is already set up: sign in');
    checkPassword(password);
    this.setupToken = undefined;
    const user = this.store.createUser(name, 'owner', await hashPassword(password));
    return this.signIn(user, deviceName, remote);
  }

  async login(name: string, password: string, deviceName: string, address: string, remote = false): Promise<SignedIn> {
    if (this.open) throw new AuthError(400, 'this server trusts the LAN (auth.mode "lan-open"): nobody signs in');
    const wait = this.backOff.wait(address);
    if (wait > 0) throw new AuthError(429, `too many failed sign-ins from this address: try again in ${wait} s`, wait);
    const user = this.store.userByName(name);
    // A missing user costs the same scrypt as a wrong password: no hint which names exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !user.passwordHash || !ok) {
      this.backOff.failed(address);
      throw new AuthError(401, 'wrong name or password');
    }
    this.backOff.succeeded(address);
    return this.signIn(user, deviceName, remote);
  }

  private signIn(user: User, deviceName: string, remote: boolean): SignedIn {
    const token = newToken();
    const device = this.store.addDevice(user.id, deviceName, tokenHash(token), remote, this.now());
    return { token, device, user };
  }

  /** A single-use link for another device. The owner may name the account it joins (default: the
   *  household member account); a member's link joins the member's own account. */
  createPairing(by: Session, forUser?: number): { token: string; expiresAt: number; user: User } {
    if (this.open) throw new AuthError(400, 'this server trusts the LAN (auth.mode "lan-open"): nothing to pair');
    if (!atLeast(by.user.role, 'member')) throw new AuthError(403, 'guests cannot pair devices');
    let user: User;
    if (by.user.role !== 'owner') {
      if (forUser !== undefined && forUser !== by.user.id) throw new AuthError(403, 'only the owner pairs devices for other people');
      user = by.user;
    } else if (forUser !== undefined) {
      const u = this.store.user(forUser);
      if (!u) throw new AuthError(404, `no user with id ${forUser}`);
      user = u;
    } else {
      user = this.household();
    }
    const token = newToken();
    const expiresAt = this.now() + PAIRING_TTL_MS;
    this.store.addPairing(tokenHash(token), user.id, by.user.id, expiresAt, this.now());
    return { token, expiresAt, user };
  }

  private household(): User {
    const found = this.store.userByName(HOUSEHOLD);
    if (found) {
      if (found.role === 'owner') throw new AuthError(409, `the account "${HOUSEHOLD}" is the owner's: pair for a named user`);
      return found;
    }
    return this.store.createUser(HOUSEHOLD, 'member', null);
  }

  redeemPairing(token: string, deviceName: string, remote = false): SignedIn {
    if (this.open) throw new AuthError(400, 'this server trusts the LAN (auth.mode "lan-open"): nothing to pair');
    const p = this.store.takePairing(tokenHash(token));
    if (!p) throw new AuthError(403, 'this pairing link is not valid (each works once): ask for a new one');
    if (p.expiresAt <= this.now()) throw new AuthError(403, 'this pairing link has expired: ask for a new one');
    const user = this.store.user(p.userId);
    if (!user) throw new AuthError(403, 'the account of this pairing link is gone');
    return this.signIn(user, deviceName, remote);
  }

  devices(by: Session): Device[] {
    return by.user.role === 'owner' ? this.store.devices() : this.store.devices(by.user.id);
  }

  revokeDevice(by: Session, id: number): void {
    const d = this.store.device(id);
    if (!d || (by.user.role !== 'owner' && d.userId !== by.user.id)) throw new AuthError(404, `no device with id ${id}`);
    this.store.deleteDevice(id);
    this.emit('signed-out', [id]);
  }

  users(): User[] {
    return this.store.users();
  }

  async createUser(name: string, role: Role, password: string | undefined): Promise<User> {
    if (role === 'owner') throw new AuthError(400, 'there is one owner');
    if (this.store.userByName(name)) throw new AuthError(409, `a user named "${name}" exists`);
    if (password !== undefined) checkPassword(password);
    return this.store.createUser(name, role, password === undefined ? null : await hashPassword(password));
  }

  async updateUser(id: number, c: UserChange): Promise<User> {
    const u = this.store.user(id);
    if (!u) throw new AuthError(404, `no user with id ${id}`);
    if (c.role !== undefined && c.role !== u.role && (u.role === 'owner' || c.role === 'owner')) throw new AuthError(400, 'the owner stays the owner');
    if (c.name !== undefined && c.name.toLowerCase() !== u.name.toLowerCase() && this.store.userByName(c.name)) throw new AuthError(409, `a user named "${c.name}" exists`);
    if (c.password !== undefined) checkPassword(c.password);
    this.store.updateUser(id, {
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.role !== undefined ? { role: c.role } : {}),
      ...(c.password !== undefined ? { passwordHash: await hashPassword(c.password) } : {}),
      ...(c.libraries !== undefined ? { libraries: c.libraries } : {}),
      ...(c.receivers !== undefined ? { receivers: c.receivers } : {}),
      ...(c.maxTranscodes !== undefined ? { maxTranscodes: c.maxTranscodes } : {}),
      ...(c.remoteBitrateKbps !== undefined ? { remoteBitrateKbps: c.remoteBitrateKbps } : {}),
    });
    // Open connections hold the old rights: they reconnect with the new ones.
    if (c.role !== undefined || c.libraries !== undefined || c.receivers !== undefined) this.emit('rights-changed', this.store.devices(id).map((d) => d.id));
    return this.store.user(id)!;
  }

  deleteUser(id: number): void {
    const u = this.store.user(id);
    if (!u) throw new AuthError(404, `no user with id ${id}`);
    if (u.role === 'owner') throw new AuthError(400, 'the owner cannot be deleted');
    const devices = this.store.devices(id).map((d) => d.id);
    this.store.deleteUser(id);
    this.emit('signed-out', devices);
  }
}

function checkPassword(password: string): void {
  if (password.length < 8) throw new AuthError(400, 'the password needs at least 8 characters');
}

// A real scrypt hash of a random password: verifying against it takes as long as a real one.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43);
