// The device's identity, kept in the data folder so a TV recognises us across restarts (its
// favourites and resume points are keyed by UDN) and SystemUpdateID never goes back.
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DlnaIdentity {
  uuid: string;
  systemUpdateId: number;
}

const FILE = 'dlna.json';

export function loadIdentity(dataDir: string): DlnaIdentity & { save(updateId: number): void } {
  const path = join(dataDir, FILE);
  let id: DlnaIdentity | undefined;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<DlnaIdentity>;
    if (typeof raw.uuid === 'string' && /^[0-9a-f-]{36}$/.test(raw.uuid)) id = { uuid: raw.uuid, systemUpdateId: Number.isSafeInteger(raw.systemUpdateId) ? raw.systemUpdateId! : 1 };
  } catch {
    /* first start, or an unreadable file: a new identity */
  }
  const write = (v: DlnaIdentity) => {
    writeFileSync(`${path}.tmp`, JSON.stringify(v));
    renameSync(`${path}.tmp`, path);
  };
  if (!id) {
    id = { uuid: randomUUID(), systemUpdateId: 1 };
    write(id);
  }
  const uuid = id.uuid;
  return { ...id, save: (systemUpdateId) => write({ uuid, systemUpdateId }) };
}
