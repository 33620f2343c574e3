// A software Apple TV (AirPlay 1 video and photos, docs/protocols.md §4): the HTTP API as
// airplay-protocol and iOS use it (server-info, play, scrub, rate, stop, playback-info, the
// /reverse event channel, photo, slideshow-features), an `_airplay._tcp` mDNS advert, and real
// playback: it fetches and probes what it is sent against the model it pretends to be, refuses
// what that model cannot play (stopped, with an error), and advances the position in real time.
// `pairing: true` answers 403 like tvOS 10.2+ without pairing. Used by tests, the demo and
// `npm run receiver -- airplay-video`. Events: emulator/video-events.ts.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { profileForModel } from '../profile.js';
import type { Profile } from '../../types.js';
import { digestResponse } from '../raop/digest.js';
import { jpegSize } from '../video/jpeg.js';
import { parseBinaryPlist, parseXmlPlist, toXmlPlist, type PlistValue } from '../video/plist.js';
import { startVideoAdvert } from './video-advert.js';
import type { VideoEmulatorEvent } from './video-events.js';
import { VideoPlayer } from './video-player.js';
import { ReverseChannel } from './video-reverse.js';

export type { VideoEmulatorEvent, VideoEventName } from './video-events.js';

export interface AirPlayVideoEmulatorOptions {
  name: string;
  /** TXT model; picks the profile. Default 'AppleTV3,2'. */
  model?: string;
  /** Address to listen on and advertise. Default '0.0.0.0' (advertises every IPv4 address). */
  host?: string;
  /** Default 7000, or a random port when 7000 is taken; 0 = random. */
  port?: number;
  /** Advertise `_airplay._tcp` by mDNS (multicast on the host's network!). Default true. */
  mdns?: boolean;
  /** Answer 403 to /play and /photo, as a tvOS 10.2+ Apple TV that wants pairing. */
  pairing?: boolean;
  /** Require this password (HTTP Digest, realm "AirPlay") on everything but /server-info and /reverse. */
  password?: string;
  /** MAC with colons (TXT deviceid); default derived from the name, so a restart keeps it. */
  deviceId?: string;
  profile?: Profile;
  ffprobePath?: string;
  ffmpegPath?: string;
  probeTimeoutMs?: number;
}

export interface AirPlayVideoEmulator {
  readonly name: string;
  readonly model: string;
  readonly host: string;
  readonly port: number;
  readonly deviceId: string;
  /** Whether it advertises itself by mDNS. */
  readonly mdns: boolean;
  /** Every event as 'event', and under its own name ('playing', 'photo', ...). */
  readonly events: EventEmitter;
  close(): Promise<void>;
}

// 64-bit features of an Apple TV 3 on 7.x: video, photo, slideshow, screen, audio, HLS [airplay-spec features.md].
const FEATURES = '0x5A7FFFF7,0x1E';
const SRCVERS = '220.68';
const AIRPLAY_PORT = 7000;
const PLIST = 'text/x-apple-plist+xml'; // exact: the client parses only on an exact match [LAB]

function advertised(host: string): string[] {
  if (host !== '0.0.0.0') return [host];
  const all = Object.values(networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => i!.address);
  return all.length ? all : ['127.0.0.1'];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** /play bodies: text/parameters (`Key: value` lines, LF only) or a plist (binary from iOS, or XML). */
export function parsePlayBody(contentType: string | undefined, body: Buffer): { url: string; fraction?: number; seconds?: number; kind: 'text/parameters' | 'binary-plist' | 'xml-plist' } {
  let fields: Record<string, unknown>;
  let kind: 'text/parameters' | 'binary-plist' | 'xml-plist';
  if (body.subarray(0, 8).toString('latin1') === 'bplist00') [fields, kind] = [parseBinaryPlist(body) as Record<string, unknown>, 'binary-plist'];
  else if (/plist/.test(contentType ?? '') || body.subarray(0, 5).toString() === '<?xml') [fields, kind] = [parseXmlPlist(body.toString('utf8')) as Record<string, unknown>, 'xml-plist'];
  else {
    fields = {};
    kind = 'text/parameters';
    for (const line of body.toString('utf8').split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  const url = fields['Content-Location'];
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new Error('no Content-Location URL');
  const n = (v: unknown): number | undefined => (v === undefined || v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined);
  const seconds = n(fields['Start-Position-Seconds']);
  const fraction = n(fields['Start-Position']);
  return { url, kind, ...(seconds !== undefined ? { seconds } : {}), ...(fraction !== undefined ? { fraction: Math.min(1, Math.max(0, fraction)) } : {}) };
}

export async function startAirPlayVideoEmulator(opts: AirPlayVideoEmulatorOptions): Promise<AirPlayVideoEmulator> {
  const model = opts.model ?? 'AppleTV3,2';
  const host = opts.host ?? '0.0.0.0';
  const profile = opts.profile ?? profileForModel(model);
  const hex = createHash('md5').update(`${opts.name}\0${model}`).digest('hex').slice(0, 12).toUpperCase();
  const deviceId = (opts.deviceId ?? hex.match(/../g)!.join(':')).toUpperCase();
  if (!/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/.test(deviceId)) throw new Error(`deviceId must be a MAC like 58:55:CA:1A:E2:88, got ${opts.deviceId}`);
  const playerOpts = { ffprobePath: opts.ffprobePath ?? 'ffprobe', ffmpegPath: opts.ffmpegPath ?? 'ffmpeg', probeTimeoutMs: opts.probeTimeoutMs ?? 20_000 };
  const events = new EventEmitter();
  const emit = (e: VideoEmulatorEvent) => {
    events.emit('event', e);
    events.emit(e.event, e);
  };
  const reverse = new ReverseChannel((sessions) => emit({ event: 'reverse', sessions }));
  let player: VideoPlayer | null = null;
  const nonce = createHash('md5').update(`${deviceId}\0${Date.now()}`).digest('hex');
  /** A Digest answer (RFC 2069, no qop) to our challenge, with the password we were given. */
  const authorized = (req: IncomingMessage): boolean => {
    const h = req.headers.authorization ?? '';
    if (!/^\s*Digest\s/i.test(h)) return false;
    const field = (k: string) => new RegExp(`${k}\\s*=\\s*"([^"]*)"`, 'i').exec(h)?.[1];
    const [user, realm, n, uri, response] = ['username', 'realm', 'nonce', 'uri', 'response'].map(field);
    if (user === undefined || realm !== 'AirPlay' || n !== nonce || uri === undefined || response === undefined) return false;
    return response === digestResponse({ realm, nonce }, opts.password!, req.method ?? 'GET', uri, user);
  };

  const send = (res: ServerResponse, status: number, body?: string, type = PLIST) => {
    if (body === undefined) return void res.writeHead(status, { 'Content-Length': 0 }).end();
    const buf = Buffer.from(body, 'utf8');
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length }).end(buf);
  };
  const plist = (res: ServerResponse, v: PlistValue) => send(res, 200, toXmlPlist(v));

  const play = (url: string, start: { fraction?: number; seconds?: number }) => {
    player?.stop();
    const p = new VideoPlayer(url, start, profile, playerOpts);
    player = p;
    reverse.dropQueued();
    reverse.state('loading');
    p.on('ready', (probe) => {
      emit({ event: 'playing', url, position: p.position(), duration: p.knownDuration(), container: probe.container, videoCodec: probe.video?.codec ?? null, videoTag: probe.video?.tag ?? null, audioCodec: probe.audio?.codec ?? null, width: probe.video?.width ?? null, height: probe.video?.height ?? null });
      reverse.state('playing');
    });
    p.on('reading', (from) => emit({ event: 'reading', url, from }));
    p.on('failed', (reason) => {
      emit({ event: 'refused', url, reason });
      reverse.state('stopped', { reason: 'error', error: reason });
    });
    p.on('ended', () => {
      emit({ event: 'ended', url, position: p.position(), duration: p.knownDuration() });
      reverse.state('stopped', { reason: 'ended' });
    });
    void p.open();
  };

  const playbackInfo = (): Record<string, PlistValue> => {
    const p = player;
    // Nothing loaded (before a play, after the end or a stop): no duration, as a real TV answers.
    if (!p || p.state === 'stopped' || p.state === 'ended') return { readyToPlay: false };
    if (p.state === 'failed') return { readyToPlay: false, error: p.error ?? 'failed' };
    if (p.state === 'loading') return { readyToPlay: false, rate: 0 };
    const duration = p.knownDuration() ?? 0;
    const position = p.position();
    const range = [{ start: 0, duration }];
    return {
      duration, position, rate: p.playbackRate, readyToPlay: true, playbackBufferEmpty: false, playbackBufferFull: true,
      playbackLikelyToKeepUp: true, loadedTimeRanges: range, seekableTimeRanges: range,
    };
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', 'http://device');
    const body = await readBody(req);
    const key = `${req.method} ${u.pathname}`;
    if (opts.password !== undefined && key !== 'GET /server-info' && !authorized(req)) {
      emit({ event: 'auth-required', path: u.pathname, sent: req.headers.authorization !== undefined });
      res.writeHead(401, { 'WWW-Authenticate': `Digest realm="AirPlay", nonce="${nonce}"`, 'Content-Length': 0 }).end();
      return;
    }
    if (opts.pairing && (key === 'POST /play' || key === 'PUT /photo')) {
      emit({ event: 'pairing-required', path: u.pathname });
      return send(res, 403);
    }
    switch (key) {
      case 'GET /server-info':
        return plist(res, { deviceid: deviceId, features: 0x5a7ffff7, model, protovers: '1.0', srcvers: SRCVERS, macAddress: deviceId, vv: 2 });
      case 'POST /play': {
        let p: ReturnType<typeof parsePlayBody>;
        try {
          p = parsePlayBody(req.headers['content-type'], body);
        } catch (err) {
          return send(res, 400, (err as Error).message, 'text/plain');
        }
        emit({ event: 'play', url: p.url, startPosition: p.seconds ?? p.fraction ?? 0, body: p.kind });
        play(p.url, p);
        return send(res, 200);
      }
      case 'GET /scrub': {
        const info = playbackInfo();
        return send(res, 200, `duration: ${Number(info.duration ?? 0).toFixed(6)}\nposition: ${Number(info.position ?? 0).toFixed(6)}\n`, 'text/parameters');
      }
      case 'POST /scrub': {
        const to = Number(u.searchParams.get('position'));
        if (!Number.isFinite(to)) return send(res, 400);
        if (player) {
          player.seek(to);
          emit({ event: 'scrub', url: player.url, position: player.position() });
        }
        return send(res, 200);
      }
      case 'POST /rate': {
        const r = Number(u.searchParams.get('value'));
        if (!Number.isFinite(r)) return send(res, 400);
        if (player) {
          player.setRate(r);
          emit({ event: 'rate', url: player.url, rate: player.playbackRate, position: player.position() });
          reverse.state(player.playbackRate > 0 ? 'playing' : 'paused');
        }
        return send(res, 200);
      }
      case 'POST /stop': {
        const p = player;
        player = null;
        p?.stop();
        emit({ event: 'stop', url: p?.url ?? null, position: p?.position() ?? 0 });
        send(res, 200);
        // After the answer: the client tears its connections down on a 'stopped' event.
        res.once('finish', () => reverse.state('stopped'));
        return;
      }
      case 'GET /playback-info':
        return plist(res, playbackInfo());
      case 'PUT /photo': {
        const size = jpegSize(body);
        const jpeg = size !== null;
        const h = (n: string) => (typeof req.headers[n] === 'string' ? (req.headers[n] as string) : null);
        emit({ event: 'photo', bytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), assetKey: h('x-apple-assetkey'), transition: h('x-apple-transition'), jpeg, width: size?.width ?? null, height: size?.height ?? null });
        // A photo replaces any video; what is not a JPEG cannot be decoded.
        if (player) (player.stop(), (player = null));
        return jpeg ? send(res, 200) : send(res, 400);
      }
      case 'GET /slideshow-features':
        return plist(res, { themes: [{ key: 'Dissolve', name: 'Dissolve' }, { key: 'Classic', name: 'Classic' }] });
      case 'PUT /slideshows/1':
        return plist(res, {});
      case 'PUT /setProperty':
      case 'POST /getProperty':
        return plist(res, { errorCode: 0 });
      default:
        return send(res, 404);
    }
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, err.message, 'text/plain');
    });
  });
  // Clients keep one connection for everything; Apple TVs keep it open far longer than Node's 5 s.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.on('upgrade', (req, socket) => {
    if (req.url === '/reverse' && /ptth\/1\.0/i.test(String(req.headers.upgrade))) reverse.accept(req, socket);
    else socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
  });

  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => (server.off('error', reject), resolve()));
  });
  if (opts.port !== undefined) await listen(opts.port);
  else {
    try {
      await listen(AIRPLAY_PORT);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      await listen(0);
    }
  }
  const port = (server.address() as AddressInfo).port;
  const addresses = advertised(host);
  const advert = opts.mdns === false ? null : await startVideoAdvert({
    name: opts.name, model, deviceId, features: FEATURES, srcvers: SRCVERS, port, addresses,
    ...(host !== '0.0.0.0' ? { interface: host } : {}),
  });

  let closed = false;
  return {
    name: opts.name,
    model,
    host: host === '0.0.0.0' ? addresses[0]! : host,
    port,
    deviceId,
    mdns: advert !== null,
    events,
    async close() {
      if (closed) return;
      closed = true;
      player?.stop();
      reverse.close();
      await advert?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
