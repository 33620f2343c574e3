// Speaker passwords at rest, through the real server's socket API: the one a remote gives is in
// neither the database file nor its WAL as plain text (AES-256-GCM with <dataDir>/secrets-key,
// beside the URL-signing key); the database, WAL, SHM and keys are 0600 and the data folder 0700,
// even when an older version left them looser; a plain-text row of before is sealed at start
// without a plain copy left behind; forgetting a password takes away the "needs a password" mark
// that giving it set (the speaker never asked for one).
import Database from 'better-sqlite3';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../../server/api/messages.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

const NAME = 'Den speaker';
const GIVEN = 'correct horse battery staple';
const LEGACY = 'plain text from before 0.2';
// A receiver by address that nothing answers at: setting its password needs no device.
const config = { libraries: [], discovery: { mdns: false, heartbeatSeconds: 600 }, scan: { watch: false, onStart: false }, receivers: [{ kind: 'airplay', name: NAME, host: '127.0.0.1', port: 9, type: 'speaker' }] };

const started: RunningServer[] = [];
const sockets: Socket[] = [];

async function start(dataDir?: string): Promise<RunningServer> {
  const s = await startServer({ config, ...(dataDir ? { dataDir } : {}) });
  started.push(s);
  return s;
}

async function remote(s: RunningServer): Promise<{ send: (event: string, args: unknown) => Promise<Ack>; receiver: Promise<Record<string, unknown>> }> {
  const sock = s.io();
  sockets.push(sock);
  const receiver = new Promise<Record<string, unknown>>((resolve) => sock.once('snapshot', (snap: { receivers: Record<string, unknown>[] }) => resolve(snap.receivers.find((r) => r.name === NAME)!)));
  await new Promise<void>((resolve, reject) => (sock.once('connect', () => resolve()), sock.once('connect_error', reject)));
  return { send: (event, args) => sock.timeout(10_000).emitWithAck(event, args) as Promise<Ack>, receiver };
}

const files = (dataDir: string) => ['library.db', 'library.db-wal', 'library.db-shm'].map((f) => join(dataDir, f)).filter((f) => existsSync(f));
const holds = (file: string, text: string) => readFileSync(file).includes(Buffer.from(text, 'utf8'));
const mode = (path: string) => statSync(path).mode & 0o777;

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(started.map((s) => s.stop()));
});

describe('speaker passwords at rest', () => {
  it('a password given in a remote is sealed in the database and its WAL; every file is ours only', async () => {
    const s = await start();
    const r = await remote(s);
    expect(await r.receiver).toMatchObject({ needsPassword: false, hasPassword: false });
    expect(await r.send('receiver:password', { receiver: NAME, password: GIVEN })).toMatchObject({ ok: true, data: { hasPassword: true } });
    // The server is running: the write sits in the WAL (checked before any checkpoint could move it).
    const dbFiles = files(s.dataDir);
    expect(dbFiles.map((f) => f.split('/').pop())).toEqual(['library.db', 'library.db-wal', 'library.db-shm']);
    for (const f of dbFiles) {
      expect(holds(f, GIVEN), f).toBe(false);
      expect(mode(f), f).toBe(0o600);
    }
    expect(mode(join(s.dataDir, 'secrets-key'))).toBe(0o600);
    expect(mode(join(s.dataDir, 'secret'))).toBe(0o600);
    expect(mode(s.dataDir)).toBe(0o700);
    const row = new Database(join(s.dataDir, 'library.db'), { readonly: true });
    expect(row.prepare('SELECT password FROM receiver_secrets').pluck().get()).toMatch(/^gcm1:/);
    row.close();
  });

  it('forgetting the password takes away the mark giving it set; remotes see it at once and after a restart', async () => {
    const s = started[0]!;
    const r = await remote(s);
    expect(await r.receiver).toMatchObject({ needsPassword: true, hasPassword: true });
    expect(await r.send('receiver:forget-password', { receiver: NAME })).toMatchObject({ ok: true, data: { needsPassword: false, hasPassword: false } });
    await s.stop();
    // And after a restart.
    const again = await start(s.dataDir);
    expect(await (await remote(again)).receiver).toMatchObject({ needsPassword: false, hasPassword: false });
    await again.stop();
  });

  it('a plain-text row an older version wrote is sealed at start and leaves no plain copy; loose modes are tightened', async () => {
    const dataDir = started[0]!.dataDir;
    const id = (await (async () => {
      const s = await start(dataDir);
      const r = (await (await remote(s)).receiver).id as string;
      await s.stop();
      return r;
    })());
    const db = new Database(join(dataDir, 'library.db'));
    db.prepare('INSERT INTO receiver_secrets (receiver_id, password, needs_password, updated_at) VALUES (?, ?, 1, 0) ON CONFLICT (receiver_id) DO UPDATE SET password = excluded.password, needs_password = 1').run(id, LEGACY);
    db.close();
    expect(files(dataDir).some((f) => holds(f, LEGACY))).toBe(true);
    chmodSync(join(dataDir, 'library.db'), 0o644);
    chmodSync(dataDir, 0o755);

    const s = await start(dataDir);
    expect(await (await remote(s)).receiver).toMatchObject({ needsPassword: true, hasPassword: true });
    for (const f of files(dataDir)) {
      expect(holds(f, LEGACY), f).toBe(false);
      expect(mode(f), f).toBe(0o600);
    }
    expect(mode(dataDir)).toBe(0o700);
  });
});
