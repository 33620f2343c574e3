// Receiver passwords on the server: SQLite keeps the user's (migration 3), the config's is the
// fallback, remotes see needsPassword/hasPassword only, a driver's refusal is learned and noted
// for the command that hit it, and a driver made before a password changed is replaced on load.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NeedsPasswordError, type LoadRequest, type Receiver, type ReceiverDescriptor, type ReceiverStatus } from '../../../receivers/types.js';
import { openDb, type Db } from '../../../server/db/connection.js';
import { sqliteSecretStore } from '../../../server/db/secret-store.js';
import { guardPassword } from '../../../server/discovery/password-guard.js';
import { ReceiverSecrets } from '../../../server/discovery/secrets.js';

const d = (id: string, extra: Partial<ReceiverDescriptor> = {}): ReceiverDescriptor => ({
  id, kind: 'airplay', name: id, model: null, host: '10.0.0.9', port: 5000, type: 'speaker', online: true, lastSeen: 0, source: 'config', ...extra,
});

const dirs: string[] = [];
const dbs: Db[] = [];
function db(dir = mkdtempSync(join(tmpdir(), 'hc-secrets-'))): { db: Db; dir: string } {
  dirs.push(dir);
  const h = openDb(join(dir, 'library.db'));
  dbs.push(h);
  return { db: h, dir };
}

const KEY = Buffer.alloc(32, 7);
const store = (h: Db, key = KEY) => sqliteSecretStore(h, key);

afterEach(() => {
  for (const h of dbs.splice(0)) if (h.open) h.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A driver that wants `password` on connect, and records what it was made with. */
class Lock extends EventEmitter implements Receiver {
  readonly capabilities = { seek: true, volume: true, pause: true, subtitles: false };
  closed = false;
  loads = 0;
  constructor(readonly id: string, readonly given: string | undefined, private wanted: string) {
    super();
  }
  async connect() {
    if (this.given !== this.wanted) throw new NeedsPasswordError('locked', this.given !== undefined);
  }
  async load(_req: LoadRequest) {
    await this.connect();
    this.loads++;
  }
  play = async () => undefined;
  pause = async () => undefined;
  seek = async () => undefined;
  stop = async () => undefined;
  setVolume = async () => undefined;
  setMuted = async () => undefined;
  status = (): ReceiverStatus => ({ state: 'idle', position: 0, at: 0, rate: 0, duration: null, volume: { level: 1, muted: false } });
  async close() {
    this.closed = true;
  }
}

const req = { url: 'http://x/1', contentType: 'audio/flac', metadata: { title: 't', kind: 'audio' }, duration: 1, startAt: 0, live: false } as const;

describe('ReceiverSecrets', () => {
  it('keeps the user\'s password across a reopen, prefers it to the config\'s, and forgets it back to the config\'s', () => {
    const first = db();
    const s = new ReceiverSecrets(store(first.db), new Map([['b', { password: 'from-config' }]]));
    s.setPassword('a', 'mine');
    s.setPassword('b', 'typed');
    first.db.close();
    const again = new ReceiverSecrets(store(db(first.dir).db), new Map([['b', { password: 'from-config' }]]));
    expect(again.password('a')).toBe('mine');
    expect(again.password('b')).toBe('typed');
    again.forgetPassword('b');
    again.forgetPassword('a');
    expect(again.password('b')).toBe('from-config');
    expect(again.password('a')).toBeUndefined();
    // Only giving a password marked 'a': forgetting it takes the mark away, across a reopen too.
    expect(again.view(d('a'))).toMatchObject({ needsPassword: false, hasPassword: false });
    expect(new ReceiverSecrets(store(db(first.dir).db)).view(d('a'))).toMatchObject({ needsPassword: false, hasPassword: false });
  });

  it('forgetting a password keeps the mark of a device that refused us, before or after the password was given', () => {
    const s = new ReceiverSecrets(store(db().db));
    s.noteRefusal('before', false);
    s.setPassword('before', 'x');
    s.setPassword('after', 'x');
    s.noteRefusal('after', true);
    s.forgetPassword('before');
    s.forgetPassword('after');
    expect(s.view(d('before'))).toMatchObject({ needsPassword: true, hasPassword: false });
    expect(s.view(d('after'))).toMatchObject({ needsPassword: true, hasPassword: false });
  });

  it('seals passwords (AES-256-GCM, bound to the receiver): the row holds no plain text, another key or row reads nothing, plain rows of old are sealed at open', () => {
    const h = db();
    new ReceiverSecrets(store(h.db)).setPassword('a', 'open sesame');
    const row = () => h.db.prepare("SELECT password FROM receiver_secrets WHERE receiver_id = 'a'").pluck().get() as string;
    expect(row()).toMatch(/^gcm1:/);
    expect(row()).not.toContain('open sesame');
    expect(store(h.db, Buffer.alloc(32, 8)).password('a')).toBeUndefined();
    h.db.prepare("INSERT INTO receiver_secrets (receiver_id, password, needs_password, updated_at) VALUES ('b', ?, 1, 0)").run(row());
    expect(store(h.db).password('b')).toBeUndefined();
    h.db.prepare("UPDATE receiver_secrets SET password = 'old plain' WHERE receiver_id = 'b'").run();
    expect(store(h.db).password('b')).toBe('old plain');
    expect(h.db.prepare("SELECT password FROM receiver_secrets WHERE receiver_id = 'b'").pluck().get()).toMatch(/^gcm1:/);
  });

  it('shows needsPassword from discovery, the config or a refusal, and never the password', () => {
    const s = new ReceiverSecrets(store(db().db), new Map([['cfg', { needsPassword: true }], ['cfgpw', { password: 'pw' }]]));
    expect(s.view(d('plain'))).toMatchObject({ needsPassword: false, hasPassword: false });
    expect(s.view(d('mdns', { needsPassword: true }))).toMatchObject({ needsPassword: true, hasPassword: false });
    expect(s.view(d('cfg'))).toMatchObject({ needsPassword: true, hasPassword: false });
    expect(s.view(d('cfgpw'))).toMatchObject({ needsPassword: true, hasPassword: true });
    expect(JSON.stringify(s.view(d('cfgpw')))).not.toContain('"pw"');
    const changed: string[] = [];
    s.on('changed', (id) => changed.push(id));
    const mark = s.mark();
    s.noteRefusal('plain', false);
    expect(s.view(d('plain')).needsPassword).toBe(true);
    expect(changed).toEqual(['plain']);
    expect(s.refusalSince('plain', mark)).toMatchObject({ wrong: false });
    expect(s.refusalSince('plain', s.mark())).toBeUndefined();
  });
});

describe('guardPassword', () => {
  it('notes a refusal, then replaces the driver made with the old password at the next load', async () => {
    const s = new ReceiverSecrets(store(db().db));
    const made: Lock[] = [];
    const r = guardPassword('spk', s, (pw) => (made.push(new Lock('spk', pw, 'right')), made.at(-1)!));
    const mark = s.mark();
    await expect(r.connect()).rejects.toMatchObject({ code: 'needs-password' });
    expect(s.refusalSince('spk', mark)).toMatchObject({ wrong: false });

    s.setPassword('spk', 'wrong');
    const mark2 = s.mark();
    await expect(r.load(req)).rejects.toMatchObject({ code: 'needs-password', wrong: true });
    expect(s.refusalSince('spk', mark2)).toMatchObject({ wrong: true });

    s.setPassword('spk', 'right');
    const statuses: string[] = [];
    r.on('status', (st) => statuses.push(st.state));
    await r.load(req);
    expect(made.map((m) => m.given)).toEqual([undefined, 'wrong', 'right']);
    expect(made.slice(0, 2).every((m) => m.closed)).toBe(true);
    expect(made[2]!.loads).toBe(1);
    // Events of the current driver reach the session; the old ones' do not.
    made[0]!.emit('status', made[0]!.status());
    made[2]!.emit('status', { ...made[2]!.status(), state: 'playing' });
    expect(statuses).toEqual(['playing']);
  });
});
