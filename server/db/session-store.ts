// Playback sessions kept across restarts (queue, position, volume), one row per receiver.
import type { SavedSession, SessionStore } from '../playback/session.js';
import type { Db } from './connection.js';

export function sqliteSessionStore(db: Db): SessionStore {
  const ids = db.prepare('SELECT receiver_id FROM playback_sessions ORDER BY saved_at').pluck();
  const load = db.prepare('SELECT data FROM playback_sessions WHERE receiver_id = ?').pluck();
  const save = db.prepare(
    'INSERT INTO playback_sessions (receiver_id, data, saved_at) VALUES (?, ?, ?) ON CONFLICT (receiver_id) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at',
  );
  const forget = db.prepare('DELETE FROM playback_sessions WHERE receiver_id = ?');
  return {
    receiverIds: () => ids.all() as string[],
    load(receiverId) {
      const data = load.get(receiverId) as string | undefined;
      if (!data) return undefined;
      try {
        return JSON.parse(data) as SavedSession;
      } catch {
        return undefined; // a row we cannot read is a session we start afresh
      }
    },
    save(receiverId, s) {
      save.run(receiverId, JSON.stringify(s), Date.now());
    },
    forget(receiverId) {
      forget.run(receiverId);
    },
  };
}
