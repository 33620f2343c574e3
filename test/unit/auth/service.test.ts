// Accounts over a real (in-memory) SQLite database, with the clock in the test's hands: a pairing
// link expires after 10 minutes and works once; passwords and tokens are never stored as given;
// the back-off doubles per failure; lan-open needs nobody.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../server/db/connection.js';
import { hashPassword, verifyPassword } from '../../../server/auth/passwords.js';
import { loginBackOff } from '../../../server/auth/rate-limit.js';
import { AuthService, PAIRING_TTL_MS } from '../../../server/auth/service.js';
import { AuthStore } from '../../../server/auth/store.js';
import { createLogger } from '../../../server/util/log.js';

const log = createLogger('error', () => undefined);

async function withOwner(now: () => number) {
  const db = openDb(':memory:');
  const auth = new AuthService(new AuthStore(db), { mode: 'accounts', log, now });
  expect(auth.needsSetup()).toBe(true);
  const owner = await auth.setup(auth.setupToken!, 'Owner', 'a long password', 'laptop');
  return { db, auth, owner: auth.authenticate(owner.token)! };
}

describe('accounts', () => {
  it('a pairing link expires after 10 minutes, and works once before that', async () => {
    let t = 1_000_000;
    const { auth, owner } = await withOwner(() => t);
    const early = auth.createPairing(owner);
    const late = auth.createPairing(owner);
    t += PAIRING_TTL_MS - 1;
    const phone = auth.redeemPairing(early.token, 'phone');
    expect(auth.authenticate(phone.token)).toMatchObject({ user: { role: 'member', name: 'Household' }, device: { name: 'phone' } });
    expect(() => auth.redeemPairing(early.token, 'again')).toThrow(/each works once/);
    t += 1;
    expect(() => auth.redeemPairing(late.token, 'late')).toThrow(/expired/);
    // Expired is gone too: no second try.
    expect(() => auth.redeemPairing(late.token, 'late')).toThrow(/each works once/);
  });

  it('the setup link works once; tokens and passwords are kept only hashed', async () => {
    const { db, auth } = await withOwner(() => Date.now());
    expect(auth.needsSetup()).toBe(false);
    await expect(auth.setup('anything', 'Eve', 'a long password', 'x')).rejects.toThrow(/already set up/);
    const dump = JSON.stringify([db.prepare('SELECT * FROM users').all(), db.prepare('SELECT * FROM devices').all()]);
    expect(dump).not.toContain('a long password');
    const signed = await auth.login('owner', 'a long password', 'cli', '10.0.0.1');
    expect(dump + JSON.stringify(db.prepare('SELECT * FROM devices').all())).not.toContain(signed.token);
    expect(db.prepare('SELECT password_hash FROM users').pluck().get()).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('scrypt hashes differ per password (salted) and verify only the right one', async () => {
    const [a, b] = await Promise.all([hashPassword('same words'), hashPassword('same words')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same words', a)).toBe(true);
    expect(await verifyPassword('same wordz', a)).toBe(false);
  });

  it('back-off: three failures are free, then each doubles the wait; success forgets', () => {
    let t = 0;
    const b = loginBackOff({ now: () => t });
    for (let i = 0; i < 3; i++) (expect(b.wait('a')).toBe(0), b.failed('a'));
    expect(b.wait('a')).toBe(1);
    expect(b.wait('b')).toBe(0);
    t += 1000;
    b.failed('a');
    expect(b.wait('a')).toBe(2);
    t += 2000;
    b.failed('a');
    expect(b.wait('a')).toBe(4);
    b.succeeded('a');
    expect(b.wait('a')).toBe(0);
  });

  it('lan-open: everyone is the owner, nobody signs in', async () => {
    const auth = new AuthService(new AuthStore(openDb(':memory:')), { mode: 'lan-open', log });
    expect(auth.needsSetup()).toBe(false);
    expect(auth.authenticate(undefined)).toMatchObject({ user: { role: 'owner' }, device: null });
    await expect(auth.login('x', 'y', 'z', 'a')).rejects.toThrow(/lan-open/);
  });
});

describe('sessions from outside', () => {
  it('a device signed in from outside is signed out after the idle days; one signed in at home stays', async () => {
    let t = Date.now();
    let idleDays = 30;
    const db = openDb(':memory:');
    const auth = new AuthService(new AuthStore(db), { mode: 'accounts', log, now: () => t, remoteIdleMs: () => idleDays * 86_400_000 });
    await auth.setup(auth.setupToken!, 'Owner', 'a long password', 'laptop');
    const home = await auth.login('Owner', 'a long password', 'sofa', '10.0.0.2');
    const away = await auth.login('Owner', 'a long password', 'hotel', '203.0.113.9', true);
    const signedOut: number[] = [];
    auth.on('signed-out', (ids) => signedOut.push(...ids));
    // Used within the idle time: it lasts (each use counts as seen).
    t += 29 * 86_400_000;
    expect(auth.authenticate(away.token)).toMatchObject({ device: { name: 'hotel', remote: true } });
    t += 29 * 86_400_000;
    expect(auth.authenticate(away.token)).toBeDefined();
    // The owner shortens it: applies at once.
    idleDays = 7;
    t += 8 * 86_400_000;
    expect(auth.authenticate(away.token)).toBeUndefined();
    expect(signedOut).toEqual([away.device.id]);
    expect(auth.authenticate(away.token)).toBeUndefined();
    // A year unused at home: still signed in.
    t += 365 * 86_400_000;
    expect(auth.authenticate(home.token)).toMatchObject({ device: { name: 'sofa', remote: false } });
  });
});
