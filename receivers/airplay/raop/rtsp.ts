// RTSP/1.0 client for RAOP over one TCP connection: one request on the wire at a time (the next is
// written only once the previous one is answered: shairport-sync 3.3.8 reads a request's content as
// "whatever follows its headers", so a second request in the same read is taken as the first's
// body — seen with progress + artwork), bodies read by Content-Length. The RAOP requests (OPTIONS … TEARDOWN) are methods here;
// headers are those shairport-sync 3.3.8 reads (rtsp.c: CSeq, Active-Remote, DACP-ID, Session,
// Transport, RTP-Info) [docs/protocols.md §5]. A speaker with a password answers 401 with a Digest
// challenge; the request is sent again with `Authorization`, and so is every later one.
import { randomBytes, randomInt } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { NeedsPasswordError } from '../../types.js';
import { authorization, parseChallenge, type DigestChallenge } from './digest.js';
import { dmapListingItem, type TrackInfo } from './dmap.js';

export interface RtspResponse {
  status: number;
  reason: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
}

export class RtspError extends Error {
  constructor(readonly method: string, readonly response: RtspResponse) {
    super(`RTSP ${method} failed: ${response.status} ${response.reason}`);
  }
}

export interface SetupResult {
  serverPort: number;
  controlPort: number;
  timingPort: number;
  session: string;
}

/**
 * A 401 we cannot answer: no password given (`wrong` false) or the speaker refused it (`wrong`
 * true). A NeedsPasswordError, so callers can ask the user; the driver rewords it with the name.
 */
export class RtspAuthError extends NeedsPasswordError {
  constructor(readonly method: string, readonly response: RtspResponse, wrong: boolean) {
    super(wrong ? `RTSP ${method}: the password was refused` : `RTSP ${method}: a password is required`, wrong);
  }
}

/** How long a request may wait for its response before the connection counts as lost. */
export const REQUEST_TIMEOUT_MS = 10_000;

interface Pending {
  method: string;
  /** The request's bytes, made when it goes on the wire (CSeq, Session, Authorization are current then). */
  bytes(): { data: Buffer; nonce: string | undefined };
  /** The Digest nonce it was sent with, if any. */
  nonce?: string | undefined;
  resolve(r: { response: RtspResponse; nonce: string | undefined }): void;
  reject(e: Error): void;
}

/** Parses one response at the head of `buf`; undefined while incomplete. */
export function parseResponse(buf: Buffer): { response: RtspResponse; rest: Buffer } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^RTSP\/1\.0 (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
  if (!m) throw new Error(`bad RTSP status line: ${lines[0]}`);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const len = Number(headers['content-length'] ?? 0);
  if (buf.length < end + 4 + len) return undefined;
  const body = buf.subarray(end + 4, end + 4 + len);
  return { response: { status: Number(m[1]), reason: m[2] ?? '', headers, body }, rest: buf.subarray(end + 4 + len) };
}

export type RaopCodec = 'alac' | 'pcm';

/** The ANNOUNCE body: escape-ALAC, or big-endian L16 for speakers that list only PCM (`cn=0`). */
export function streamSdp(sessionId: string, local: string, remote: string, codec: RaopCodec = 'alac'): string {
  const ip = (a: string): string => (a.includes(':') ? `IP6 ${a}` : `IP4 ${a}`);
  return [
    'v=0',
    `o=iTunes ${sessionId} 0 IN ${ip(local)}`,
    's=iTunes',
    `c=IN ${ip(remote)}`,
    't=0 0',
    'm=audio 0 RTP/AVP 96',
    ...(codec === 'alac' ? ['a=rtpmap:96 AppleLossless', 'a=fmtp:96 352 0 16 40 10 14 2 255 0 0 44100'] : ['a=rtpmap:96 L16/44100/2']),
    '',
  ].join('\r\n');
}

export class RtspClient {
  private cseq = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** Requests not yet written, and the one waiting for its response. */
  private readonly queue: Pending[] = [];
  private inFlight: Pending | undefined;
  private session: string | undefined;
  private closedError: Error | undefined;
  private challenge: DigestChallenge | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Called once when the connection fails or closes, whoever closed it. */
  onClose: ((e: Error) => void) | undefined;
  readonly sessionId = String(randomInt(1, 2 ** 31));
  readonly dacpId = randomBytes(8).toString('hex').toUpperCase();
  readonly activeRemote = String(randomInt(1, 2 ** 31));
  readonly clientInstance = this.dacpId;

  private constructor(
    private readonly socket: Socket,
    private readonly password: string | undefined,
    private readonly requestTimeoutMs: number,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('RTSP connection closed')));
  }

  static async connect(host: string, port: number, timeoutMs = 5000, password?: string, requestTimeoutMs = REQUEST_TIMEOUT_MS): Promise<RtspClient> {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    try {
      await once(socket, 'connect', { signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      socket.destroy();
      throw (e as Error).name === 'AbortError' ? new Error(`no RTSP connection to ${host}:${port} within ${timeoutMs} ms`) : e;
    }
    return new RtspClient(socket, password, requestTimeoutMs);
  }

  get localAddress(): string {
    return this.socket.localAddress ?? '0.0.0.0';
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '0.0.0.0';
  }

  get uri(): string {
    const a = this.localAddress;
    return `rtsp://${a.includes(':') ? `[${a}]` : a}/${this.sessionId}`;
  }

  request(method: string, headers: Record<string, string> = {}, body?: { type: string; data: string | Buffer }, uri = this.uri): Promise<RtspResponse> {
    return this.exchange(method, headers, body, uri, false);
  }

  private async exchange(method: string, headers: Record<string, string>, body: { type: string; data: string | Buffer } | undefined, uri: string, retried: boolean): Promise<RtspResponse> {
    const { response: r, nonce } = await this.send(method, headers, body, uri);
    if (r.status === 401) {
      const c = parseChallenge(r.headers['www-authenticate']);
      // A challenge this request did not answer yet (the first on this connection: shairport-sync
      // keeps one nonce per connection): once more with Authorization. Never twice.
      if (c && this.password !== undefined && c.nonce !== nonce && !retried) {
        this.challenge = c;
        return this.exchange(method, headers, body, uri, true);
      }
      throw new RtspAuthError(method, r, this.password !== undefined);
    }
    if (r.status !== 200) throw new RtspError(method, r);
    return r;
  }

  private send(method: string, headers: Record<string, string>, body: { type: string; data: string | Buffer } | undefined, uri: string): Promise<{ response: RtspResponse; nonce: string | undefined }> {
    if (this.closedError) return Promise.reject(this.closedError);
    const data = body ? Buffer.from(body.data) : undefined;
    const bytes = (): { data: Buffer; nonce: string | undefined } => {
      const c = this.password !== undefined ? this.challenge : undefined;
      const all: Record<string, string> = {
        CSeq: String(++this.cseq),
        'User-Agent': 'homecast/0.1',
        'Client-Instance': this.clientInstance,
        'DACP-ID': this.dacpId,
        'Active-Remote': this.activeRemote,
        ...(this.session ? { Session: this.session } : {}),
        ...(c ? { Authorization: authorization(c, this.password!, method, uri) } : {}),
        ...headers,
        ...(body && data ? { 'Content-Type': body.type, 'Content-Length': String(data.length) } : {}),
      };
      const head = Buffer.from(`${method} ${uri} RTSP/1.0\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, 'latin1');
      return { data: data ? Buffer.concat([head, data]) : head, nonce: c?.nonce };
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ method, bytes, resolve, reject });
      this.next();
    });
  }

  /** Writes the next queued request once nothing is waiting for a response. */
  private next(): void {
    if (this.inFlight || this.closedError) return;
    const p = this.queue.shift();
    if (!p) return;
    this.inFlight = p;
    const { data, nonce } = p.bytes();
    p.nonce = nonce;
    // A speaker that vanished without closing TCP (power cut, frozen) never answers: a missed
    // deadline fails the connection, so the session ends instead of hanging.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fail(new Error(`no answer to ${p.method} within ${this.requestTimeoutMs} ms`));
      this.socket.destroy();
    }, this.requestTimeoutMs);
    this.socket.write(data);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  options(): Promise<RtspResponse> {
    return this.request('OPTIONS', {}, undefined, '*');
  }

  announce(codec: RaopCodec = 'alac'): Promise<RtspResponse> {
    return this.request('ANNOUNCE', {}, { type: 'application/sdp', data: streamSdp(this.sessionId, this.localAddress, this.remoteAddress, codec) });
  }

  async setup(controlPort: number, timingPort: number): Promise<SetupResult> {
    const r = await this.request('SETUP', {
      Transport: `RTP/AVP/UDP;unicast;interleaved=0-1;mode=record;control_port=${controlPort};timing_port=${timingPort}`,
    });
    const t = r.headers['transport'] ?? '';
    const port = (k: string): number => Number(new RegExp(`${k}=(\\d+)`).exec(t)?.[1] ?? NaN);
    const result = { serverPort: port('server_port'), controlPort: port('control_port'), timingPort: port('timing_port'), session: r.headers['session'] ?? '1' };
    if (!Number.isInteger(result.serverPort) || !Number.isInteger(result.controlPort)) throw new Error(`SETUP: no ports in Transport "${t}"`);
    this.session = result.session.split(';')[0];
    return result;
  }

  record(seq: number, rtptime: number): Promise<RtspResponse> {
    return this.request('RECORD', { Range: 'npt=0-', 'RTP-Info': `seq=${seq};rtptime=${rtptime >>> 0}` });
  }

  /** `db`: 0 (full) … −30, or −144 for mute (the AirPlay volume scale). */
  setVolume(db: number): Promise<RtspResponse> {
    return this.request('SET_PARAMETER', {}, { type: 'text/parameters', data: `volume: ${db.toFixed(6)}\r\n` });
  }

  /** Track info (`mlit` with `minm`, `asar`, `asal`) for the item that starts at `rtptime`. */
  setTrackInfo(rtptime: number, info: TrackInfo): Promise<RtspResponse> {
    return this.request('SET_PARAMETER', { 'RTP-Info': `rtptime=${rtptime >>> 0}` }, { type: 'application/x-dmap-tagged', data: dmapListingItem(info) });
  }

  /** Cover art (JPEG or PNG bytes) for the item that starts at `rtptime`. */
  setArtwork(rtptime: number, type: 'image/jpeg' | 'image/png', data: Buffer): Promise<RtspResponse> {
    return this.request('SET_PARAMETER', { 'RTP-Info': `rtptime=${rtptime >>> 0}` }, { type, data });
  }

  /** `progress: start/curr/end` in RTP timestamps: the item's first frame, the frame now, its end. */
  setProgress(start: number, curr: number, end: number): Promise<RtspResponse> {
    return this.request('SET_PARAMETER', { 'RTP-Info': `rtptime=${curr >>> 0}` }, { type: 'text/parameters', data: `progress: ${start >>> 0}/${curr >>> 0}/${end >>> 0}\r\n` });
  }

  flush(seq: number, rtptime: number): Promise<RtspResponse> {
    return this.request('FLUSH', { 'RTP-Info': `seq=${seq};rtptime=${rtptime >>> 0}` });
  }

  teardown(): Promise<RtspResponse> {
    return this.request('TEARDOWN');
  }

  close(): void {
    this.disarm();
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      let parsed;
      try {
        parsed = parseResponse(this.buf);
      } catch (e) {
        this.fail(e as Error);
        this.socket.destroy();
        return;
      }
      if (!parsed) return;
      this.buf = parsed.rest;
      this.disarm();
      const p = this.inFlight;
      this.inFlight = undefined;
      p?.resolve({ response: parsed.response, nonce: p.nonce });
      this.next();
    }
  }

  private fail(e: Error): void {
    this.disarm();
    if (!this.closedError) {
      this.closedError = e;
      this.onClose?.(e);
    }
    const all = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const p of all) p.reject(e);
  }
}
