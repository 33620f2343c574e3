// The library database as openDb leaves it: its page cache bounded (a 100k first scan filled
// better-sqlite3's default 16 MiB, which stayed in the process's heap while idle).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../server/db/connection.js';

describe('openDb', () => {
  it("keeps SQLite's page cache at 4 MiB, not better-sqlite3's default 16 MiB", () => {
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'hc-db-')), 'library.db'));
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-4000);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});
