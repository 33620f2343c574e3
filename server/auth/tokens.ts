// Bearer secrets (device, pairing and setup tokens): 32 random bytes, kept only as SHA-256
// hashes, so a copy of the database signs nobody in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const newToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Compares two secrets in constant time (through their hashes: equal lengths). */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(Buffer.from(tokenHash(a), 'hex'), Buffer.from(tokenHash(b), 'hex'));
