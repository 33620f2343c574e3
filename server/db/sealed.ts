// Sealing a small secret (a speaker's password) for the database: AES-256-GCM with a random
// 96-bit nonce and the receiver id as associated data, so a sealed value cannot be moved to
// another row. Text form: "gcm1:" + base64url(nonce | tag | ciphertext).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const SEALED_PREFIX = 'gcm1:';

export function seal(key: Buffer, plain: string, context: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return SEALED_PREFIX + Buffer.concat([nonce, c.getAuthTag(), body]).toString('base64url');
}

/** The plain text, or undefined when the value was sealed with another key or altered. */
export function unseal(key: Buffer, sealed: string, context: string): string | undefined {
  if (!sealed.startsWith(SEALED_PREFIX)) return undefined;
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  if (raw.length < 28) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(context, 'utf8'));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
