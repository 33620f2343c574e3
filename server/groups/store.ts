// Groups a person made, kept in SQLite (migration 5): a name and ordered members with their own
// volume, mute and delay. Rules (known receivers, no groups of groups) are the service's; this
// only reads and writes rows.
import type { Db } from '../db/connection.js';

export interface StoredMember {
  id: string;
  /** Its name when it was added (shown while discovery has not seen it). */
  name: string;
  delayMs: number;
  volume: number;
  muted: boolean;
}

export interface StoredGroup {
  id: string;
  name: string;
  members: StoredMember[];
}

export interface GroupStore {
  list(): StoredGroup[];
  get(id: string): StoredGroup | undefined;
  create(g: StoredGroup): void;
  rename(id: string, name: string): void;
  /** Replaces the members (order, settings) of a group. */
  setMembers(id: string, members: StoredMember[]): void;
  delete(id: string): void;
}

interface MemberRow { group_id: string; receiver_id: string; name: string; delay_ms: number; volume: number; muted: number }

export function sqliteGroupStore(db: Db): GroupStore {
  const groups = db.prepare<[], { id: string; name: string }>('SELECT id, name FROM groups ORDER BY name');
  const members = db.prepare<[], MemberRow>('SELECT * FROM group_members ORDER BY group_id, position');
  const insertGroup = db.prepare('INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)');
  const rename = db.prepare('UPDATE groups SET name = ? WHERE id = ?');
  const clear = db.prepare('DELETE FROM group_members WHERE group_id = ?');
  const insertMember = db.prepare('INSERT INTO group_members (group_id, receiver_id, name, position, delay_ms, volume, muted) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM groups WHERE id = ?');
  const writeMembers = (id: string, list: StoredMember[]) => {
    clear.run(id);
    list.forEach((m, i) => insertMember.run(id, m.id, m.name, i, Math.round(m.delayMs), m.volume, m.muted ? 1 : 0));
  };
  const list = (): StoredGroup[] => {
    const byGroup = new Map<string, StoredMember[]>();
    for (const r of members.all()) {
      const m = { id: r.receiver_id, name: r.name, delayMs: r.delay_ms, volume: r.volume, muted: r.muted === 1 };
      byGroup.set(r.group_id, [...(byGroup.get(r.group_id) ?? []), m]);
    }
    return groups.all().map((g) => ({ ...g, members: byGroup.get(g.id) ?? [] }));
  };
  return {
    list,
    get: (id) => list().find((g) => g.id === id),
    create: db.transaction((g: StoredGroup) => {
      insertGroup.run(g.id, g.name, Date.now());
      writeMembers(g.id, g.members);
    }),
    rename: (id, name) => void rename.run(name, id),
    setMembers: db.transaction(writeMembers),
    delete: (id) => void del.run(id),
  };
}
