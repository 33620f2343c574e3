// RTSP Digest authentication on the speaker's side, as shairport-sync 3.3.8 does it (rtsp.c
// rtsp_auth): one nonce per connection, `WWW-Authenticate: Digest realm="raop", nonce="…"` with a
// 401, and the response checked as MD5(MD5(user:realm:password):nonce:MD5(method:uri)) with the
// user, realm and uri the sender put in its `Authorization` header. Once a request passed, the
// connection stays authorised.
import { randomBytes } from 'node:crypto';
import { digestResponse } from '../../raop/digest.js';

export const REALM = 'raop';

export class DigestGate {
  readonly nonce = randomBytes(8).toString('base64');
  private authorized = false;

  constructor(private readonly password: string | undefined) {}

  /** True when the request may proceed; otherwise answer 401 with `challenge()`. */
  check(method: string, authorization: string | undefined): boolean {
    if (this.password === undefined || this.authorized) return true;
    if (!authorization || !/^Digest\s/i.test(authorization)) return false;
    const field = (k: string): string | undefined => new RegExp(`${k}\\s*=\\s*"([^"]*)"`, 'i').exec(authorization)?.[1];
    const [username, realm, uri, response, nonce] = ['username', 'realm', 'uri', 'response', 'nonce'].map(field);
    if (username === undefined || realm === undefined || uri === undefined || response === undefined) return false;
    if (nonce !== undefined && nonce !== this.nonce) return false;
    const expected = digestResponse({ realm, nonce: this.nonce }, this.password, method, uri, username);
    this.authorized = expected === response.toLowerCase();
    return this.authorized;
  }

  challenge(): Record<string, string> {
    return { 'WWW-Authenticate': `Digest realm="${REALM}", nonce="${this.nonce}"` };
  }
}
