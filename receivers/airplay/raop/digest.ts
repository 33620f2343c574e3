// RTSP Digest authentication for password-protected AirPlay speakers, as shairport-sync 3.3.8
// checks it (rtsp.c rtsp_auth): HA1 = MD5(username:realm:password), HA2 = MD5(method:uri),
// response = MD5(HA1:nonce:HA2), all lower-case hex, no qop. The username is "iTunes", as Apple's
// senders send it; the receiver only needs the fields present and the response to match.
import { createHash } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
}

export const DIGEST_USERNAME = 'iTunes';

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** The realm and nonce of a `WWW-Authenticate: Digest realm="…", nonce="…"` header, or undefined. */
export function parseChallenge(header: string | undefined): DigestChallenge | undefined {
  if (!header || !/^\s*Digest\s/i.test(header)) return undefined;
  const field = (k: string): string | undefined => new RegExp(`${k}\\s*=\\s*(?:"([^"]*)"|([^,\\s]+))`, 'i').exec(header)?.slice(1).find((v) => v !== undefined);
  const realm = field('realm');
  const nonce = field('nonce');
  return realm !== undefined && nonce !== undefined ? { realm, nonce } : undefined;
}

export function digestResponse(c: DigestChallenge, password: string, method: string, uri: string, username = DIGEST_USERNAME): string {
  return md5(`${md5(`${username}:${c.realm}:${password}`)}:${c.nonce}:${md5(`${method}:${uri}`)}`);
}

/** The `Authorization` header value for one request. */
export function authorization(c: DigestChallenge, password: string, method: string, uri: string): string {
  const response = digestResponse(c, password, method, uri);
  return `Digest username="${DIGEST_USERNAME}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", response="${response}"`;
}
