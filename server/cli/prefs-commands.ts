// `prefs`: the signed-in person's own preferences (server/auth/preferences.ts).
//   prefs                      what is kept
//   prefs audio fr en | fr,en  the audio languages what they play starts in, most wanted first
//   prefs audio none           none of their own: the server's apply
import { languagesTyped } from '../config/language-tag.js';
import { restCall } from './credentials.js';
import { CliError } from './errors.js';

export const prefsUsage = 'prefs [audio LANGUAGE… | audio none]   (your own audio languages: they win over the server\'s)';

interface Preferences { audioLanguages: string[] | null }

const line = (p: Preferences) => `audio: ${p.audioLanguages?.join(', ') ?? "none of your own (the server's apply)"}`;

export async function prefsCommand(rest: string[], o: { server: string; token: string | undefined; print: (data: unknown, human: () => string) => void }): Promise<void> {
  const [what, ...args] = rest;
  if (what === undefined) {
    const p = await restCall<Preferences>(o.server, 'GET', '/api/me/preferences', o.token);
    return o.print(p, () => line(p));
  }
  if (what !== 'audio') throw new CliError(`prefs ${what}: unknown (${prefsUsage})`);
  const langs = languagesTyped(args.join(' ')) ?? [];
  if (!langs.length) throw new CliError('prefs audio needs languages, most wanted first ("fr en"), or none');
  const none = langs.length === 1 && langs[0]!.toLowerCase() === 'none';
  const p = await restCall<Preferences>(o.server, 'PATCH', '/api/me/preferences', o.token, { audioLanguages: none ? null : langs });
  o.print(p, () => line(p));
}
