// Step 4 of the schema: videos get a year column, and every video read before it is read again by
// the next scan (its mtime no longer matches), so "Title (2019)" leaves the titles of an existing library.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../server/db/connection.js';
import { migrations } from '../../../server/db/migrations.js';

describe('migration 4', () => {
  it('adds videos.year and marks the videos of an existing library for a new read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hc-db-')), 'library.db');
    const old = new Database(file);
    for (const step of migrations.slice(0, 3)) old.exec(step);
    old.pragma('user_version = 3');
    const add = old.prepare("INSERT INTO files (library, path, rel, kind, size, mtime_ms, mime, scanned_at) VALUES ('L', ?, ?, ?, 1, 1000, 'x', 0) RETURNING id");
    const video = (add.get('/l/Night Walk (2019).mp4', 'Night Walk (2019).mp4', 'video') as { id: number }).id;
    add.get('/l/a.mp3', 'a.mp3', 'audio');
    old.prepare("INSERT INTO videos (id, title, streams, subtitles, search) VALUES (?, 'Night Walk (2019)', '[]', '[]', '')").run(video);
    old.close();

    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT title, year FROM videos').get()).toEqual({ title: 'Night Walk (2019)', year: null });
    expect(db.prepare('SELECT kind, mtime_ms AS mtime FROM files ORDER BY kind').all()).toEqual([{ kind: 'audio', mtime: 1000 }, { kind: 'video', mtime: -1 }]);
    db.close();
  });
});
