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

describe('migration 6', () => {
  it('indexes the tracks, albums and artists of an existing library for search, and the triggers keep it current', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hc-db-')), 'library.db');
    const old = new Database(file);
    for (const step of migrations.slice(0, 5)) old.exec(step);
    old.pragma('user_version = 5');
    const id = (old.prepare("INSERT INTO files (library, path, rel, kind, size, mtime_ms, mime, scanned_at) VALUES ('L', '/l/a.mp3', 'a.mp3', 'audio', 1, 1, 'x', 0) RETURNING id").get() as { id: number }).id;
    old.exec("INSERT INTO artists (id, name, sort_name) VALUES (7, 'Beyoncé', 'beyoncé'); INSERT INTO albums (id, title, artist_id) VALUES (3, 'Lemonade', 7)");
    old.prepare("INSERT INTO tracks (id, title, artist_id, album_id, search) VALUES (?, 'Formation', 7, 3, 'formation beyoncé lemonade a.mp3')").run(id);
    old.close();

    const db = openDb(file);
    const hit = (table: string, q: string) => db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ?`).pluck().all(q);
    expect(hit('library_fts', '"beyon"*')).toEqual([id]);
    expect(hit('albums_fts', '"beyonce"*')).toEqual([3]);
    expect(hit('artists_fts', '"beyonce"')).toEqual([7]);
    db.prepare("UPDATE tracks SET search = 'renamed' WHERE id = ?").run(id);
    expect(hit('library_fts', '"formation"')).toEqual([]);
    db.prepare('DELETE FROM files WHERE id = ?').run(id); // tracks go by ON DELETE CASCADE
    expect(hit('library_fts', '"renamed"')).toEqual([]);
    db.close();
  });
});

describe('migration 11', () => {
  it('gives remembered rows and made playlists from before accounts to the first owner; a deleted user takes theirs along', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hc-db-')), 'library.db');
    const old = new Database(file);
    for (const step of migrations.slice(0, 9)) old.exec(step);
    old.pragma('user_version = 9');
    old.exec(`INSERT INTO users (id, name, role, created_at) VALUES (4, 'Kid', 'member', 0), (5, 'Owner', 'owner', 0);
      INSERT INTO files (id, library, path, rel, kind, size, mtime_ms, mime, scanned_at) VALUES (1, 'L', '/l/a.mp4', 'a.mp4', 'video', 1, 1, 'x', 0);
      INSERT INTO play_state (user_id, item_id, position, updated_at) VALUES (NULL, 1, 42, 0);
      INSERT INTO favourites (user_id, kind, ref_id, created_at) VALUES (NULL, 'video', 1, 0);
      INSERT INTO playlists (id, name, created_at, updated_at) VALUES (1, 'Made', 0, 0);
      INSERT INTO playlists (id, name, source_path, library, created_at, updated_at) VALUES (2, 'Imported', '/l/x.m3u', 'L', 0, 0)`);
    old.close();

    const db = openDb(file);
    expect(db.prepare('SELECT user_id, position FROM play_state').all()).toEqual([{ user_id: 5, position: 42 }]);
    expect(db.prepare('SELECT user_id FROM favourites').pluck().all()).toEqual([5]);
    expect(db.prepare('SELECT id, owner_id FROM playlists ORDER BY id').all()).toEqual([{ id: 1, owner_id: 5 }, { id: 2, owner_id: null }]);
    db.exec('DELETE FROM users WHERE id = 5');
    expect(db.prepare('SELECT count(*) FROM play_state').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM favourites').pluck().get()).toBe(0);
    expect(db.prepare('SELECT id FROM playlists').pluck().all()).toEqual([2]);
    db.close();
  });
});
