// A promise face on airplay-protocol (npm, watson/airplay-protocol 2.0.2) for one Apple TV.
// The package is kept for what it does right: one keep-alive socket for every request (the Apple TV
// stops playing when the /play connection closes), the /reverse PTTH event channel, the /play body.
// Two holes are patched here: its `_request` attaches no 'error' listener (a refused or reset
// connection would be an uncaught exception that ends our process) and has no timeout, so it is
// replaced by one with both; and it has no `/photo` (raw JPEG body), which goes over the same agent.
// Password-protected Apple TVs answer 401 with a Digest challenge (realm "AirPlay"): the request is
// sent again with the answer (username "AirPlay", RFC 2069 without qop, as raop/digest.ts computes
// it), and the challenge is kept so later requests carry it at once.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import AirPlay from 'airplay-protocol';
import { NeedsPasswordError } from '../../types.js';
import { digestResponse, parseChallenge, type DigestChallenge } from '../raop/digest.js';
import { parseBinaryPlist, parseXmlPlist, type PlistValue } from './plist.js';

/** The username AirPlay video senders give in Digest answers. */
export const VIDEO_DIGEST_USER = 'AirPlay';

/** The Authorization header answering a challenge for one request. */
export function videoAuthorization(c: DigestChallenge, password: string, method: string, uri: string): string {
  const response = digestResponse(c, password, method, uri, VIDEO_DIGEST_USER);
  return `Digest username="${VIDEO_DIGEST_USER}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", response="${response}"`;
}

export class AirPlayHttpError extends Error {
  constructor(readonly status: number, readonly path: string) {
    super(`${path} answered ${status}`);
    this.name = 'AirPlayHttpError';
  }
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Parses a body by its exact Content-Type, as airplay-protocol does (no `; charset`). */
export function parseBody(contentType: string | undefined, body: Buffer): unknown {
  switch (contentType) {
    case 'text/x-apple-plist+xml': return parseXmlPlist(body.toString('utf8'));
    case 'application/x-apple-binary-plist': return parseBinaryPlist(body);
    case 'text/parameters': {
      const out: Record<string, number | string> = {};
      for (const line of body.toString('utf8').split('\n')) {
        const at = line.indexOf(':');
        if (at <= 0) continue;
        const v = line.slice(at + 1).trim();
        out[line.slice(0, at).trim()] = Number.isFinite(Number(v)) ? Number(v) : v;
      }
      return out;
    }
    default: return body;
  }
}

export class VideoClient {
  readonly ap: AirPlay;
  private onEvent: ((e: Record<string, unknown>) => void) | undefined;
  private onReverseError: ((err: Error) => void) | undefined;
  private challenge: DigestChallenge | undefined;

  constructor(host: string, port: number, private readonly timeoutMs = 10_000, private readonly password?: string) {
    this.ap = new AirPlay(host, port);
    this.ap._request = ((method: string, path: string, body: unknown, cb?: (e: Error | undefined, res: unknown, b: unknown) => void) => {
      if (typeof body === 'function') return this.ap._request(method, path, null, body as never);
      this.send(method, path, body as Buffer | string | null, {}).then((r) => cb?.(r.status === 200 ? undefined : new AirPlayHttpError(r.status, path), r, r.body), (err: Error) => cb?.(err, undefined, undefined));
    }) as AirPlay['_request'];
    this.ap.on('event', (data) => {
      if (!Buffer.isBuffer(data) && data && typeof data === 'object') this.onEvent?.(data);
    });
  }

  /** Reverse events ({ category, state, … }) and errors of the reverse channel. */
  listen(onEvent: (e: Record<string, unknown>) => void, onReverseError: (err: Error) => void): void {
    this.onEvent = onEvent;
    this.onReverseError = onReverseError;
  }

  /**
   * One request on the shared keep-alive agent (strings go as text/parameters, buffers raw),
   * answering a Digest challenge once. A 401 we cannot answer is a NeedsPasswordError (wrong = we
   * sent a password and it was refused), so the remote asks the user.
   */
  async send(method: string, path: string, body: Buffer | string | null, headers: Record<string, string>): Promise<Reply> {
    const auth = (c: DigestChallenge) => ({ ...headers, Authorization: videoAuthorization(c, this.password!, method, path) });
    let r = await this.sendOnce(method, path, body, this.challenge && this.password !== undefined ? auth(this.challenge) : headers);
    if (r.status !== 401) return r;
    const c = parseChallenge(typeof r.headers['www-authenticate'] === 'string' ? r.headers['www-authenticate'] : undefined);
    if (c && this.password !== undefined) {
      this.challenge = c;
      r = await this.sendOnce(method, path, body, auth(c));
      if (r.status !== 401) return r;
    }
    throw new NeedsPasswordError(this.password === undefined ? 'needs a password' : 'did not accept the password', this.password !== undefined);
  }

  private sendOnce(method: string, path: string, body: Buffer | string | null, headers: Record<string, string>): Promise<Reply> {
    const opts = this.ap._reqOpts(method, path, typeof body === 'string' ? body : null);
    const payload = Buffer.isBuffer(body) ? body : opts.body;
    const h = { ...(opts.headers as Record<string, string | number>), ...headers };
    if (Buffer.isBuffer(body)) h['Content-Length'] = body.length;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ ...opts, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parseBody(res.headers['content-type'], Buffer.concat(chunks)) });
          } catch (err) {
            reject(err as Error);
          }
        });
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer to ${method} ${path} within ${this.timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async ok(method: string, path: string, body: Buffer | string | null = null, headers: Record<string, string> = {}): Promise<Reply> {
    const r = await this.send(method, path, body, headers);
    if (r.status !== 200) throw new AirPlayHttpError(r.status, path);
    return r;
  }

  serverInfo(): Promise<Record<string, PlistValue>> {
    return this.ok('GET', '/server-info').then((r) => r.body as Record<string, PlistValue>);
  }

  /** /reverse, then /play with the URL and a 0..1 start fraction (airplay-protocol's play()). */
  play(url: string, fraction: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ap.play(url, fraction, (err) => (err ? reject(err) : resolve()));
      // play() made a new reverse server synchronously: it emits 'error' with no listener of its own.
      this.ap._rserver?.on('error', (err: Error) => this.onReverseError?.(err));
    });
  }

  scrub(seconds: number): Promise<void> {
    return this.ok('POST', `/scrub?position=${seconds.toFixed(3)}`).then(() => undefined);
  }

  rate(value: 0 | 1): Promise<void> {
    return this.ok('POST', `/rate?value=${value}`).then(() => undefined);
  }

  stop(): Promise<void> {
    return this.ok('POST', '/stop').then(() => undefined);
  }

  playbackInfo(): Promise<Record<string, unknown>> {
    return this.ok('GET', '/playback-info').then((r) => (r.body && typeof r.body === 'object' && !Buffer.isBuffer(r.body) ? (r.body as Record<string, unknown>) : {}));
  }

  /** PUT /photo: a JPEG shown at once (airplay-spec `src/photos`). */
  photo(jpeg: Buffer, assetKey: string, transition = 'Dissolve'): Promise<void> {
    return this.ok('PUT', '/photo', jpeg, { 'Content-Type': 'image/jpeg', 'X-Apple-AssetKey': assetKey, 'X-Apple-Transition': transition }).then(() => undefined);
  }

  close(): void {
    this.ap.destroy();
  }
}
