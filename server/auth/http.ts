// The HTTP edge of accounts: who is asking (the device cookie, or `Authorization: Bearer` from the
// CLI), and whether they may. Every /api route needs a session except the few that sign people in;
// the owner-only routes are listed here, in one place. Media, art, HLS and subtitle URLs are not
// checked here: receivers fetch them without cookies, and their signature is the credential.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthService } from './service.js';
import { atLeast, type Role, type Session } from './types.js';

export const COOKIE = 'homecast_device';

/** Routes anyone may call: they say whether setup is needed, or sign a device in or out. */
export const PUBLIC_ROUTES: readonly string[] = ['GET /api/health', 'GET /api/auth/state', 'POST /api/auth/setup', 'POST /api/auth/login', 'POST /api/auth/pair', 'POST /api/auth/logout'];

/** The least role a route needs beyond being signed in (method, path prefix). */
const ROUTE_ROLES: readonly [method: string, prefix: string, role: Role][] = [
  ['POST', '/api/library/rescan', 'owner'],
  ['*', '/api/auth/users', 'owner'],
  ['*', '/api/settings', 'owner'],
  ['POST', '/api/auth/pairings', 'member'],
  ['PUT', '/api/favourites', 'member'],
  ['DELETE', '/api/favourites', 'member'],
];

export function tokenFrom(headers: { authorization?: string | undefined; cookie?: string | undefined }): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (bearer) return bearer[1];
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The session of a request that passed `requireSession` (set on res.locals). */
export const sessionOf = (res: Response): Session => res.locals.session as Session;
/** The session if there is one (public routes). */
export const maybeSession = (res: Response): Session | undefined => res.locals.session as Session | undefined;

export function requireSession(auth: AuthService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    // The page, its assets and the signed media URLs need no session (and cost no lookup).
    if (!req.path.startsWith('/api/') && req.path !== '/api') return next();
    const session = auth.authenticate(tokenFrom(req.headers));
    if (session) res.locals.session = session;
    if (PUBLIC_ROUTES.includes(`${req.method === 'HEAD' ? 'GET' : req.method} ${req.path}`)) return next();
    if (!session) return void res.status(401).json({ error: auth.needsSetup() ? 'the server is not set up yet: open the setup link from its log' : 'sign in first' });
    const needed = ROUTE_ROLES.find(([m, p]) => (m === '*' || m === req.method) && (req.path === p || req.path.startsWith(`${p}/`)))?.[2];
    if (needed && !atLeast(session.user.role, needed)) return void res.status(403).json({ error: `only ${needed === 'owner' ? 'the owner' : 'members'} may do that` });
    next();
  };
}

/** Sets the device cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export function setDeviceCookie(req: Request, res: Response, token: string): void {
  res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure, maxAge: 400 * 24 * 3600_000 });
}

export function clearDeviceCookie(req: Request, res: Response): void {
  res.clearCookie(COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
}
