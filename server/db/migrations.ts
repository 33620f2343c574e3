// Schema, in numbered steps. A database is brought up to the newest step at open;
// each step runs in one transaction, so a crash mid-migration leaves the old schema.
export const migrations: string[] = [
  /* 1: library */ `
  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    library TEXT NOT NULL,          -- library name from the config
    path TEXT NOT NULL UNIQUE,      -- absolute path as found under the library root
    rel TEXT NOT NULL,              -- path relative to the library root
    kind TEXT NOT NULL CHECK (kind IN ('audio', 'video', 'photo')),
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    mime TEXT NOT NULL,
    error TEXT,                     -- why the file could not be read; NULL when it could
    scanned_at INTEGER NOT NULL
  );
  CREATE INDEX files_library ON files (library);
  CREATE INDEX files_error ON files (error) WHERE error IS NOT NULL;

  CREATE TABLE artwork (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,      -- sha1 of the image bytes: the cache file's name
    mime TEXT NOT NULL,
    path TEXT NOT NULL              -- the original image: in the art cache, or an image file in a library
  );

  CREATE TABLE artists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    sort_name TEXT NOT NULL
  );

  CREATE TABLE albums (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    artist_id INTEGER NOT NULL REFERENCES artists(id),   -- the album artist
    year INTEGER,
    compilation INTEGER NOT NULL DEFAULT 0,
    art_id INTEGER REFERENCES artwork(id),
    UNIQUE (title COLLATE NOCASE, artist_id)
  );

  CREATE TABLE tracks (
    id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    artist_id INTEGER NOT NULL REFERENCES artists(id),
    album_id INTEGER REFERENCES albums(id),
    track_no INTEGER, track_total INTEGER, disc_no INTEGER, disc_total INTEGER,
    year INTEGER, genre TEXT,
    duration REAL, codec TEXT, container TEXT, lossless INTEGER,
    sample_rate INTEGER, bit_depth INTEGER, channels INTEGER, bitrate INTEGER,
    rg_track_gain REAL, rg_track_peak REAL, rg_album_gain REAL, rg_album_peak REAL,
    art_id INTEGER REFERENCES artwork(id),
    search TEXT NOT NULL            -- lower-cased title, artists, album and file name
  );
  CREATE INDEX tracks_album ON tracks (album_id, disc_no, track_no);
  CREATE INDEX tracks_artist ON tracks (artist_id);

  CREATE TABLE videos (
    id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    container TEXT, duration REAL, bitrate INTEGER,
    width INTEGER, height INTEGER, video_codec TEXT, audio_codec TEXT, hdr TEXT,
    streams TEXT NOT NULL,          -- JSON: every stream ffprobe saw
    subtitles TEXT NOT NULL,        -- JSON: embedded text streams and external .srt/.vtt files
    art_id INTEGER REFERENCES artwork(id),
    search TEXT NOT NULL
  );

  CREATE TABLE photos (
    id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    taken_at INTEGER,               -- ms since epoch, from EXIF DateTimeOriginal
    camera_make TEXT, camera_model TEXT, orientation INTEGER,
    width INTEGER, height INTEGER, latitude REAL, longitude REAL,
    art_id INTEGER REFERENCES artwork(id),
    search TEXT NOT NULL
  );
  CREATE INDEX photos_taken ON photos (taken_at);
  `,
  /* 2: playback sessions survive a restart */ `
  CREATE TABLE playback_sessions (
    receiver_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,             -- JSON: queue, index, repeat, shuffle, position, volume
    saved_at INTEGER NOT NULL
  );
  `,
  /* 3: passwords the user gave for receivers (AirPlay pw=true), kept across restarts */ `
  CREATE TABLE receiver_secrets (
    receiver_id TEXT PRIMARY KEY,
    password TEXT,                  -- as given (AirPlay Digest auth needs the plain text); NULL once forgotten
    needs_password INTEGER NOT NULL DEFAULT 0,  -- 1 once the device refused us for want of one
    updated_at INTEGER NOT NULL
  );
  `,
  /* 4: a film's release year (tags, or "Title (2019)" in the file name, no longer left in the title) */ `
  ALTER TABLE videos ADD COLUMN year INTEGER;
  -- Videos read before this step are read again by the next scan (it opens files whose mtime differs).
  UPDATE files SET mtime_ms = -1 WHERE kind = 'video';
  `,
  /* 5: groups of receivers a person made (multi-room), played as one receiver */ `
  CREATE TABLE groups (
    id TEXT PRIMARY KEY,            -- 'group:' + random: the group's receiver id
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    receiver_id TEXT NOT NULL,      -- a registry id; the receiver may be offline or not seen yet
    name TEXT NOT NULL,             -- its name when added, shown while discovery has not seen it
    position INTEGER NOT NULL,
    delay_ms INTEGER NOT NULL DEFAULT 0,
    volume REAL NOT NULL DEFAULT 1,
    muted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, receiver_id)
  );
  `,
  /* 6: accounts: people, their signed-in devices, pairing links; per-user library and receiver limits */ `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'guest')),
    password_hash TEXT,             -- scrypt (server/auth/passwords.ts); NULL: signs in only through pairing
    created_at INTEGER NOT NULL
  );
  CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE, -- sha256 of the device token; the token itself is never kept
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );
  CREATE INDEX devices_user ON devices (user_id);
  CREATE TABLE pairings (
    token_hash TEXT PRIMARY KEY,    -- sha256 of the single-use pairing token
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- the account the paired device joins
    created_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  );
  -- No row for a user: every library. Rows: only those.
  CREATE TABLE user_libraries (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    library TEXT NOT NULL,
    PRIMARY KEY (user_id, library)
  );
  -- Receivers a guest may play to (members and the owner play to all).
  CREATE TABLE user_receivers (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    receiver_id TEXT NOT NULL,
    PRIMARY KEY (user_id, receiver_id)
  );
  `,
  /* 7: playlists a person made, and .m3u/.m3u8/.pls files found in the libraries (imported at scan) */ `
  CREATE TABLE playlists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    owner_id INTEGER,               -- the user who made it, once accounts exist; NULL: the server's
    source_path TEXT UNIQUE,        -- absolute path of the playlist file it was imported from; NULL: made in homecast
    library TEXT,                   -- the library that file is in
    source_size INTEGER, source_mtime_ms INTEGER,
    problems TEXT NOT NULL DEFAULT '[]',  -- JSON: entries of the file not imported, and why
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX playlists_owner ON playlists (owner_id);
  CREATE TABLE playlist_entries (
    id INTEGER PRIMARY KEY,
    playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    position INTEGER NOT NULL
  );
  CREATE INDEX playlist_entries_order ON playlist_entries (playlist_id, position);
  CREATE INDEX playlist_entries_file ON playlist_entries (file_id);
  `,
  /* 8: library scale: folder mtimes (a rescan skips unchanged folders) and full-text search */ `
  CREATE TABLE folders (
    path TEXT PRIMARY KEY,          -- absolute path as walked under the library root
    library TEXT NOT NULL,
    parent TEXT,                    -- NULL for the library root
    mtime TEXT NOT NULL             -- mtime in ns when last read; '-1': read it again next time
  );
  CREATE INDEX folders_parent ON folders (parent);
  CREATE INDEX folders_library ON folders (library);

  -- Word-prefix search with diacritics folded, kept current by triggers on the search columns.
  -- library_fts: rowid = the item's file id (tracks, videos and photos share the id space).
  CREATE VIRTUAL TABLE library_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
  CREATE VIRTUAL TABLE albums_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
  CREATE VIRTUAL TABLE artists_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
  ${['tracks', 'videos', 'photos'].map((t) => `
  CREATE TRIGGER ${t}_fts_insert AFTER INSERT ON ${t} BEGIN INSERT INTO library_fts (rowid, text) VALUES (new.id, new.search); END;
  CREATE TRIGGER ${t}_fts_delete AFTER DELETE ON ${t} BEGIN DELETE FROM library_fts WHERE rowid = old.id; END;
  CREATE TRIGGER ${t}_fts_update AFTER UPDATE OF search ON ${t} BEGIN UPDATE library_fts SET text = new.search WHERE rowid = old.id; END;
  INSERT INTO library_fts (rowid, text) SELECT id, search FROM ${t};`).join('')}
  CREATE TRIGGER albums_fts_insert AFTER INSERT ON albums BEGIN
    INSERT INTO albums_fts (rowid, text) VALUES (new.id, new.title || ' ' || (SELECT name FROM artists WHERE id = new.artist_id)); END;
  CREATE TRIGGER albums_fts_delete AFTER DELETE ON albums BEGIN DELETE FROM albums_fts WHERE rowid = old.id; END;
  CREATE TRIGGER albums_fts_update AFTER UPDATE OF title, artist_id ON albums BEGIN
    UPDATE albums_fts SET text = new.title || ' ' || (SELECT name FROM artists WHERE id = new.artist_id) WHERE rowid = old.id; END;
  INSERT INTO albums_fts (rowid, text) SELECT al.id, al.title || ' ' || ar.name FROM albums al JOIN artists ar ON ar.id = al.artist_id;
  CREATE TRIGGER artists_fts_insert AFTER INSERT ON artists BEGIN INSERT INTO artists_fts (rowid, text) VALUES (new.id, new.name); END;
  CREATE TRIGGER artists_fts_delete AFTER DELETE ON artists BEGIN DELETE FROM artists_fts WHERE rowid = old.id; END;
  CREATE TRIGGER artists_fts_update AFTER UPDATE OF name ON artists BEGIN UPDATE artists_fts SET text = new.name WHERE rowid = old.id; END;
  INSERT INTO artists_fts (rowid, text) SELECT id, name FROM artists;
  `,
  /* 9: what the server remembers per item (resume position, watched, plays) and favourites; user_id NULL
     is the server's own until accounts exist, then a person's rows key on it (one row per user and item) */ `
  CREATE TABLE play_state (
    user_id INTEGER,                -- NULL: the whole server (before accounts)
    item_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    position REAL,                  -- seconds to resume from; NULL: none (never started, or watched)
    watched INTEGER NOT NULL DEFAULT 0,
    play_count INTEGER NOT NULL DEFAULT 0,
    last_played INTEGER,            -- ms since epoch the item last played
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX play_state_user_item ON play_state (coalesce(user_id, 0), item_id);
  CREATE INDEX play_state_last_played ON play_state (last_played DESC);
  CREATE TABLE favourites (
    user_id INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('track', 'album', 'video')),
    ref_id INTEGER NOT NULL,        -- a track's or video's file id, or an album id
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX favourites_user_ref ON favourites (coalesce(user_id, 0), kind, ref_id);
  `,
  /* 10: settings the owner changed in the remote (over the config file's defaults); per-user caps; devices
     signed in from outside (remote access), whose sessions expire when idle */ `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,           -- a top-level settings key (libraries, discovery, transcode, ...)
    value TEXT NOT NULL,            -- JSON; wins over the config file's value
    updated_at INTEGER NOT NULL
  );
  ALTER TABLE users ADD COLUMN max_transcodes INTEGER;       -- NULL: the server's default for members
  ALTER TABLE users ADD COLUMN remote_bitrate_kbps INTEGER;  -- NULL: the server's default
  ALTER TABLE devices ADD COLUMN remote INTEGER NOT NULL DEFAULT 0;
  `,
  /* 11: remembered rows and made playlists are a person's: rows written before (user_id NULL) go to the
     first owner, if there is one; a deleted user's rows go with them. Imported playlists stay shared. */ `
  UPDATE OR IGNORE play_state SET user_id = (SELECT min(id) FROM users WHERE role = 'owner') WHERE user_id IS NULL AND EXISTS (SELECT 1 FROM users WHERE role = 'owner');
  UPDATE OR IGNORE favourites SET user_id = (SELECT min(id) FROM users WHERE role = 'owner') WHERE user_id IS NULL AND EXISTS (SELECT 1 FROM users WHERE role = 'owner');
  UPDATE playlists SET owner_id = (SELECT min(id) FROM users WHERE role = 'owner') WHERE owner_id IS NULL AND source_path IS NULL AND EXISTS (SELECT 1 FROM users WHERE role = 'owner');
  CREATE TRIGGER users_remembered_delete AFTER DELETE ON users BEGIN
    DELETE FROM play_state WHERE user_id = old.id;
    DELETE FROM favourites WHERE user_id = old.id;
    DELETE FROM playlists WHERE owner_id = old.id AND source_path IS NULL;
  END;
  `,
  /* 12: a counter of changes to what orders the track list (search-order.ts keeps that order in memory);
     albums by artist (an artist's album count and cover were a scan of every album per row) */ `
  CREATE INDEX albums_artist ON albums (artist_id, year);
  CREATE TABLE library_version (n INTEGER NOT NULL);
  INSERT INTO library_version (n) VALUES (0);
${[['tracks', 'INSERT'], ['tracks', 'DELETE'], ['tracks', 'UPDATE OF album_id, disc_no, track_no, title'], ['albums', 'INSERT'], ['albums', 'DELETE'],
  ['albums', 'UPDATE OF year, title, artist_id'], ['artists', 'UPDATE OF sort_name']].map(([t, e], i) => `
  CREATE TRIGGER library_version_${t}_${i} AFTER ${e} ON ${t} BEGIN UPDATE library_version SET n = n + 1; END;`).join('')}
  `,
  /* 13: a person's own audio languages (JSON array of tags, most wanted first; NULL: the server's
     playback.audioLanguages); they go with the user's row */ `
  ALTER TABLE users ADD COLUMN audio_languages TEXT;
  `,
];
