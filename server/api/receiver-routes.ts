// REST view of the receivers discovery knows (the live view is pushed over socket.io). With
// `view`, each goes out as remotes see it (needsPassword, hasPassword); passwords never do.
import { Router } from 'express';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { ReceiverRegistry } from '../discovery/registry.js';
import { maybeSession } from '../auth/http.js';

export function receiverRouter(registry: Pick<ReceiverRegistry, 'list'>, view: (d: ReceiverDescriptor) => ReceiverDescriptor = (d) => d): Router {
  const r = Router();
  r.get('/api/receivers', (_req, res) => {
    // A page's own receiver ("This device", server/api/browser-players.ts) is its device's alone.
    const own = `browser:${maybeSession(res)?.device?.id ?? ''}`;
    res.json({ items: registry.list().filter((d) => d.source !== 'browser' || d.id === own).map(view) });
  });
  return r;
}
