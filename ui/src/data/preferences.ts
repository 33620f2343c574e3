// The signed-in person's own preferences (server/auth/preferences.ts): their audio languages win
// over the server's and the browser's.
import { callApi } from './api-call.js';

export interface Preferences { audioLanguages: string[] | null }

export const getPreferences = () => callApi<Preferences>('api/me/preferences');
export const changePreferences = (p: Preferences) => callApi<Preferences>('api/me/preferences', { method: 'PATCH', body: p });

/** "fr, en" or "fr en" as typed → ['fr', 'en']; blank → null (the server's or the browser's apply).
 *  The CLI's is server/config/language-tag.ts (the remote imports no server code at run time). */
export function languagesTyped(text: string): string[] | null {
  const langs = text.split(/[\s,]+/).filter(Boolean);
  return langs.length ? langs : null;
}
