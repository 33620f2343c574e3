// /api/settings (owner-only, auth/http.ts ROUTE_ROLES): the settings and what waits for a restart;
// PATCH some keys; DELETE /api/settings/:key returns a key to the config file's value. The folder
// browser: GET /api/settings/folders (where to start, and the media folders found) and
// GET /api/settings/folders?path=/abs/folder (its folders, never files).
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { FolderError, listFolders, startingPoints } from './folders.js';
import { SettingsError, type SettingsService } from './service.js';

const folderQuery = z.strictObject({ path: z.string().min(1).max(4096).optional(), hidden: z.enum(['0', '1']).optional() });

export function settingsRouter(d: { settings: SettingsService; dataDir: string }): Router {
  const r = Router();
  r.use('/api/settings', express.json({ limit: '256kb' }));
  const handle = (fn: (req: Request, res: Response) => Promise<unknown> | unknown) => (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req, res))
      .then(
        (body) => void res.json(body),
        (err: unknown) => (err instanceof SettingsError || err instanceof FolderError ? void res.status(err.status).json({ error: err.message }) : next(err)),
      );
  };
  r.get('/api/settings', handle(() => d.settings.view()));
  r.patch('/api/settings', handle((req) => d.settings.update(req.body)));
  r.get('/api/settings/folders', handle(async (req) => {
    const q = folderQuery.safeParse(req.query);
    if (!q.success) throw new SettingsError(400, `bad query: ${q.error.issues[0]!.message}`);
    if (q.data.path === undefined) return startingPoints();
    return listFolders(q.data.path, { dataDir: d.dataDir, hidden: q.data.hidden === '1' });
  }));
  r.delete('/api/settings/:key', handle((req) => d.settings.reset(String(req.params.key))));
  return r;
}
