// Per-user caps on the media a signed-in person's own player fetches (its requests carry the
// device cookie; a receiver's carry none and are not capped here): a member's or guest's live
// transcodes at once, and, from outside (remote access: HTTPS, or https through the trusted
// proxy), the bitrate an original is transcoded down to. The user's own value wins over the
// owner's setting ("limits"), read at each request so a change applies at once.
import type { Request } from 'express';
import { tokenFrom } from '../auth/http.js';
import type { AuthService } from '../auth/service.js';
import type { UserCaps } from '../media/routes.js';
import type { SettingsService } from './service.js';

export function userCaps(auth: AuthService, settings: SettingsService): (req: Request) => UserCaps | undefined {
  return (req) => {
    const token = tokenFrom(req.headers);
    if (!token && !auth.open) return undefined;
    const s = auth.authenticate(token);
    if (!s) return undefined;
    const l = settings.current().limits;
    return {
      user: `user ${s.user.id}`,
      maxTranscodes: s.user.role === 'owner' ? undefined : (s.user.maxTranscodes ?? l.memberTranscodes ?? undefined),
      bitrateKbps: req.secure ? (s.user.remoteBitrateKbps ?? l.remoteBitrateKbps ?? undefined) : undefined,
    };
  };
}
