// Headers that keep the remote's pages to themselves: scripts only from this server (the remote's
// bundle, its lazy chunks: the Sendspin player, the QR encoder; and its service worker), no
// framing by other sites, no MIME sniffing, no Referer leaving with signed URLs in it.
// What the remote needs beyond 'self': inline styles (index.html's palette, Lit's style bindings),
// data: images and audio (the Sendspin player's silent Android keep-alive is a data: FLAC), blob:
// for media it builds in the page.
import type { RequestHandler } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  // 'self' takes the same host's ws:/wss: in CSP 3; older Safari needs them named (added per request).
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    // Host was checked before this runs (host-check.ts): it is one of our names, safe to repeat.
    const host = req.headers.host;
    const csp = host && /^[A-Za-z0-9.[\]:_-]+$/.test(host) ? CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ws://${host} wss://${host}`) : CONTENT_SECURITY_POLICY;
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  };
}
