// The settings table (migration 10): one JSON value per top-level key the owner changed.
// A stored value that no longer fits the schema (an older version's) is ignored, not fatal.
import type { Db } from '../db/connection.js';
import { settingsSchema, type SettingsKey, type SettingsPatch } from './schema.js';

export class SettingsStore {
  constructor(private db: Db) {}

  read(): SettingsPatch {
    const out: Record<string, unknown> = {};
    for (const r of this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) {
      const schema = settingsSchema.shape[r.key as SettingsKey];
      if (!schema) continue;
      try {
        const parsed = schema.safeParse(JSON.parse(r.value));
        if (parsed.success) out[r.key] = parsed.data;
      } catch {
        /* not JSON: as if never set */
      }
    }
    return out as SettingsPatch;
  }

  write(patch: SettingsPatch, now = Date.now()): void {
    const put = this.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) put.run(k, JSON.stringify(v), now);
    })();
  }

  reset(key: SettingsKey): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }
}
