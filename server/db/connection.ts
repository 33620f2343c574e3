// Opens the library database: WAL (readers never wait for the scanner's writes, and a
// kill -9 loses at most the transaction in flight), foreign keys on, schema migrated.
// Readable by us only (it holds sealed speaker passwords and what the libraries contain): the file
// is made 0600 before SQLite opens it, and SQLite gives the WAL and SHM the database's mode.
// SQLite's page cache is capped at 4 MiB (better-sqlite3 builds with 16 MiB): a first scan of 100,000
// files filled all 16 and malloc kept them for the life of the process (the main heap 24 → 11 MiB
// idle); the pages are in the kernel's page cache anyway, and search at 100k kept its p95 (~30 ms).
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.js';

export type Db = Database.Database;

/** SQLite's page cache per connection, in KiB. */
const PAGE_CACHE_KIB = 4000;

export function openDb(file: string): Db {
  if (file !== ':memory:') makePrivate(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** The folder 0700 and the database files 0600, tightening ones someone (an older version) left looser. */
function makePrivate(file: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f) && (statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
  }
}
