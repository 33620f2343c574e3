// A signed-in person's own preferences, beside the server's settings: the audio languages a video
// starts in when they play it (on a receiver or in their browser). Theirs win over the server's
// playback.audioLanguages and over the browser's languages; none kept: those apply.
// GET /api/me/preferences, PATCH /api/me/preferences {audioLanguages: [...] | null}: any role (a
// guest's own choice touches nobody else's). lan-open: nobody is signed in, so nothing is kept.
import express, { Router } from 'express';
import { z } from 'zod';
import { languageTag } from '../config/language-tag.js';
import type { Db } from '../db/connection.js';
import { sessionOf } from './http.js';

export interface Preferences {
  /** Most wanted first; null: the server's (or the browser's, in the browser). */
  audioLanguages: string[] | null;
}

const change = z.strictObject({ audioLanguages: z.array(languageTag).max(8).nullable() });

export class UserPreferences {
  // Read each time an item starts (session-core audioOf): prepared once.
  private readonly read;
  private readonly write;

  constructor(db: Db) {
    this.read = db.prepare('SELECT audio_languages FROM users WHERE id = ?').pluck();
    this.write = db.prepare('UPDATE users SET audio_languages = ? WHERE id = ?');
  }

  get(userId: number): Preferences {
    const raw = this.read.get(userId) as string | null | undefined;
    const langs = raw ? (JSON.parse(raw) as string[]) : null;
    return { audioLanguages: langs?.length ? langs : null };
  }

  /** false: no such user (lan-open's stand-in owner has no row). */
  set(userId: number, p: Preferences): boolean {
    const langs = p.audioLanguages?.length ? JSON.stringify(p.audioLanguages) : null;
    return this.write.run(langs, userId).changes === 1;
  }
}

export function preferencesRouter(prefs: UserPreferences): Router {
  const r = Router();
  r.use('/api/me', express.json({ limit: '4kb' }));
  // Express 5 hands a throw in a route to the app's error handler.
  r.get('/api/me/preferences', (_req, res) => void res.json(prefs.get(sessionOf(res).user.id)));
  r.patch('/api/me/preferences', (req, res) => {
    const body = change.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: `${body.error.issues[0]!.path.join('.') || 'body'}: ${body.error.issues[0]!.message}` });
    const user = sessionOf(res).user;
    if (!prefs.set(user.id, body.data)) return void res.status(400).json({ error: 'nobody is signed in (auth.mode "lan-open"): set the server\'s audio languages in Settings → Playback' });
    res.json(prefs.get(user.id));
  });
  return r;
}
