// /api/auth: whether setup is needed and who is signed in; setup, login, logout; pairing links
// and their redemption; devices (list, revoke); users (owner). A browser gets its device token
// as an HttpOnly cookie only; a client that asks with `bearer: true` (the CLI) gets it in the body.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { isLoopback } from '../api/server-addresses.js';
import { clearDeviceCookie, maybeSession, sessionOf, setDeviceCookie, tokenFrom } from './http.js';
import { PAIRING_TTL_MS, type AuthService, type SignedIn } from './service.js';
import { AuthError, roles } from './types.js';

const name = z.string().trim().min(1, 'give a name').max(64);
const password = z.string().min(1, 'give a password').max(1024);
const deviceName = z.string().trim().min(1).max(100).optional();
const bodies = {
  setup: z.strictObject({ token: z.string().min(1).max(200), name: name.default('Owner'), password, device: deviceName, bearer: z.boolean().default(false) }),
  login: z.strictObject({ name, password, device: deviceName, bearer: z.boolean().default(false) }),
  pair: z.strictObject({ token: z.string().min(1).max(200), device: deviceName, bearer: z.boolean().default(false) }),
  pairing: z.strictObject({ user: z.number().int().positive().optional() }),
  newUser: z.strictObject({ name, role: z.enum(roles), password: password.optional() }),
  changeUser: z.strictObject({
    name: name.optional(),
    role: z.enum(roles).optional(),
    password: password.optional(),
    /** null: every library. */
    libraries: z.array(z.string().min(1).max(200)).max(100).nullable().optional(),
    receivers: z.array(z.string().min(1).max(200)).max(200).optional(),
    /** null: the server's default (settings "limits"). */
    maxTranscodes: z.number().int().min(1).max(64).nullable().optional(),
    remoteBitrateKbps: z.number().int().min(64).max(100_000).nullable().optional(),
  }),
};
const idParam = z.coerce.number().int().positive();

/** A name for a device from its User-Agent, for the devices list ("Android phone", "Firefox on Linux"). */
export function guessDeviceName(ua: string | undefined): string {
  if (!ua) return 'Unknown device';
  if (/homecast-cli/i.test(ua)) return 'Command line';
  const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /iPhone/.test(ua) ? 'iPhone' : /iPad/.test(ua) ? 'iPad' : /Android/.test(ua) ? (/Mobile/.test(ua) ? 'Android phone' : 'Android tablet') : /Mac OS X/.test(ua) ? 'Mac' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'a computer';
  return `${browser} on ${os}`;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  throw new AuthError(400, key ? `${key}: ${issue.message}` : issue.message);
}

/** Only a page opened on this machine (loopback peer, loopback Host) is shown the setup token. */
function fromThisMachine(req: Request): boolean {
  const host = (req.get('host') ?? '').replace(/:\d+$/, '');
  return isLoopback(req.socket.remoteAddress ?? '') && isLoopback(host);
}

export function authRouter(auth: AuthService): Router {
  const r = Router();
  r.use('/api/auth', express.json({ limit: '16kb' }));
  // An AuthError is the person's to read; anything else goes to the app's error handler (logged, 500).
  const handle = (fn: (req: Request, res: Response) => Promise<unknown> | unknown) => (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req, res))
      .then(
        (body) => void (res.headersSent || res.json(body ?? { ok: true })),
        (err: unknown) => {
          if (!(err instanceof AuthError)) return next(err);
          if (err.retryAfterSeconds) res.set('Retry-After', String(err.retryAfterSeconds));
          res.status(err.status).json({ error: err.message });
        },
      );
  };
  const signedIn = (req: Request, res: Response, s: SignedIn, bearer: boolean) => {
    if (!bearer) setDeviceCookie(req, res, s.token);
    return { user: publicUser(s.user), device: s.device, ...(bearer ? { token: s.token } : {}) };
  };
  const device = (req: Request, given: string | undefined) => given ?? guessDeviceName(req.get('user-agent'));

  r.get('/api/auth/state', handle((req, res) => {
    const s = maybeSession(res);
    return {
      mode: auth.mode,
      setupNeeded: auth.needsSetup(),
      ...(auth.needsSetup() && fromThisMachine(req) ? { setupToken: auth.setupToken } : {}),
      user: s ? publicUser(s.user) : null,
      device: s?.device ?? null,
    };
  }));
  r.post('/api/auth/setup', handle(async (req, res) => {
    const b = parse(bodies.setup, req.body);
    return signedIn(req, res, await auth.setup(b.token, b.name, b.password, device(req, b.device), req.secure), b.bearer);
  }));
  r.post('/api/auth/login', handle(async (req, res) => {
    const b = parse(bodies.login, req.body);
    return signedIn(req, res, await auth.login(b.name, b.password, device(req, b.device), req.socket.remoteAddress ?? '', req.secure), b.bearer);
  }));
  r.post('/api/auth/pair', handle((req, res) => {
    const b = parse(bodies.pair, req.body);
    return signedIn(req, res, auth.redeemPairing(b.token, device(req, b.device), req.secure), b.bearer);
  }));
  r.post('/api/auth/logout', handle((req, res) => {
    const s = auth.authenticate(tokenFrom(req.headers));
    if (s?.device) auth.revokeDevice(s, s.device.id);
    clearDeviceCookie(req, res);
    return { ok: true };
  }));
  r.post('/api/auth/pairings', handle((req, res) => {
    const b = parse(bodies.pairing, req.body);
    const p = auth.createPairing(sessionOf(res), b.user);
    return { token: p.token, expiresAt: p.expiresAt, ttlSeconds: PAIRING_TTL_MS / 1000, user: publicUser(p.user) };
  }));
  r.get('/api/auth/devices', handle((_req, res) => ({ items: auth.devices(sessionOf(res)), current: sessionOf(res).device?.id ?? null })));
  r.delete('/api/auth/devices/:id', handle((req, res) => {
    auth.revokeDevice(sessionOf(res), parse(idParam, req.params.id));
    return { ok: true };
  }));
  r.get('/api/auth/users', handle(() => ({ items: auth.users().map(publicUser) })));
  r.post('/api/auth/users', handle(async (req, res) => {
    const b = parse(bodies.newUser, req.body);
    res.status(201);
    return publicUser(await auth.createUser(b.name, b.role, b.password));
  }));
  r.patch('/api/auth/users/:id', handle(async (req) => publicUser(await auth.updateUser(parse(idParam, req.params.id), parse(bodies.changeUser, req.body)))));
  r.delete('/api/auth/users/:id', handle((req) => {
    auth.deleteUser(parse(idParam, req.params.id));
    return { ok: true };
  }));
  return r;
}

function publicUser(u: { id: number; name: string; role: string; hasPassword: boolean; libraries: string[] | null; receivers: string[]; maxTranscodes?: number | null; remoteBitrateKbps?: number | null }) {
  return { id: u.id, name: u.name, role: u.role, hasPassword: u.hasPassword, libraries: u.libraries, receivers: u.receivers, maxTranscodes: u.maxTranscodes ?? null, remoteBitrateKbps: u.remoteBitrateKbps ?? null };
}
