// The HMAC key for signed media URLs: 32 random bytes in <dataDir>/secret, readable by us only.
// Kept across restarts so URLs handed to receivers stay valid; deleting the file revokes them all.
// Other keys of the same kind live beside it under their own name (secrets-key: speaker passwords).
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LENGTH = 32;

export function loadOrCreateSecret(dataDir: string, name = 'secret'): Buffer {
  const file = join(dataDir, name);
  const existing = readIfExists(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Write a private temp file, then link it into place: link() fails if another process won the
  // race, and nobody ever sees a half-written secret.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, randomBytes(LENGTH), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  const created = readIfExists(file);
  if (!created) throw new Error(`could not create ${file}`);
  return created;
}

function readIfExists(file: string): Buffer | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (buf.length !== LENGTH) throw new Error(`${file} must hold exactly ${LENGTH} bytes (delete it to make a new one)`);
  // A key others can read lets them mint URLs: tighten it if someone loosened it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return buf;
}
