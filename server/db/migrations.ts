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
  /* 6: what the server remembers per item (resume position, watched, plays) and favourites; user_id NULL
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
];
