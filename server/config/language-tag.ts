// A language as a person or a browser names it: "fr", "fra", "pt-BR" (BCP 47 / ISO 639). Node-free:
// the socket messages (which the web remote imports) use it too.
import { z } from 'zod';

export const languageTag = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/, 'must be a language such as "fr", "fra" or "pt-BR"');

/** Languages as typed, most wanted first: "fr, en" or "fr en" → ['fr', 'en']; blank → null. */
export function languagesTyped(text: string): string[] | null {
  const langs = text.split(/[\s,]+/).filter(Boolean);
  return langs.length ? langs : null;
}
