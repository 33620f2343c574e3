// Builds the HTTP app from ready-made services: JSON API, media routes, the web remote.
// No state of its own; main.ts owns the services and their lifetimes.
import express, { type ErrorRequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { libraryRouter, type LibraryApiDeps } from './api/library-routes.js';
import { playlistRouter, type PlaylistApiDeps } from './api/playlist-routes.js';
import { receiverRouter } from './api/receiver-routes.js';
import { rememberedRouter } from './api/remembered-routes.js';
import { serverRouter, type ServerAddresses } from './api/server-addresses.js';
import type { ReceiverRegistry } from './discovery/registry.js';
import type { ReceiverDescriptor } from '../receivers/types.js';
import { mediaRouter, type MediaDeps } from './media/routes.js';
import type { Logger } from './util/log.js';
import type { EdgeMiddleware } from './api/host-check.js';
import { securityHeaders } from './api/security-headers.js';
import { requireSession } from './auth/http.js';
import { authRouter } from './auth/routes.js';
import { preferencesRouter, type UserPreferences } from './auth/preferences.js';
import type { AuthService } from './auth/service.js';
import { settingsRouter } from './settings/routes.js';
import type { SettingsService } from './settings/service.js';

export interface AppDeps {
  library: LibraryApiDeps;
  playlists?: PlaylistApiDeps;
  media: MediaDeps;
  receivers: ReceiverRegistry;
  /** What remotes see of a receiver (password state, never the password). */
  receiverView?: (d: ReceiverDescriptor) => ReceiverDescriptor;
  uiDir: string;
  log: Logger;
  /** Where a phone can open the remote (GET /api/server). */
  addresses?: () => Promise<ServerAddresses>;
  /** The browser edge (api/host-check.ts): runs before every route. */
  edge?: EdgeMiddleware;
  /** Peers whose X-Forwarded-* express believes (api/trusted-proxy.ts); none by default. */
  trustProxy?: (addr: string | undefined) => boolean;
  /** Accounts: every /api route but signing in needs a session (auth/http.ts). */
  auth: AuthService;
  /** The owner's settings (/api/settings, server/settings). */
  settings?: { settings: SettingsService; dataDir: string };
  /** The DLNA MediaServer's /dlna routes (server/dlna), when enabled. */
  dlna?: express.Router;
  /** A signed-in person's own preferences (/api/me/preferences, auth/preferences.ts). */
  preferences?: UserPreferences;
}

export function createApp(d: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', d.trustProxy ? (addr: string) => d.trustProxy!(addr) : false);
  if (d.edge) app.use(d.edge);
  app.use(securityHeaders());
  app.use(requireSession(d.auth));
  app.use(authRouter(d.auth));
  if (d.preferences) app.use(preferencesRouter(d.preferences));
  app.use(libraryRouter(d.library));
  if (d.playlists) app.use(playlistRouter(d.playlists));
  if (d.library.remembered) app.use(rememberedRouter({ remembered: d.library.remembered, signer: d.library.signer }));
  app.use(receiverRouter(d.receivers, d.receiverView));
  app.use(mediaRouter(d.media));
  if (d.addresses) app.use(serverRouter(d.addresses));
  if (d.settings) app.use(settingsRouter(d.settings));
  if (d.dlna) app.use(d.dlna);
  if (existsSync(d.uiDir)) {
    app.use(express.static(d.uiDir, { index: 'index.html', dotfiles: 'ignore' }));
    // The first start's setup link (/setup#token=…) opens the remote, which reads the token.
    app.get('/setup', (_req, res) => res.sendFile('index.html', { root: d.uiDir }));
  }
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such API route' });
  });
  const onError: ErrorRequestHandler = (err: Error & { status?: number }, req, res, _next) => {
    const status = err.status && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) d.log.error('request failed', { method: req.method, url: req.originalUrl, reason: err.message });
    if (!res.headersSent) res.status(status).json({ error: status >= 500 ? 'internal error' : err.message });
    else res.destroy();
  };
  app.use(onError);
  return app;
}
