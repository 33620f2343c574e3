// REST view of the receivers discovery knows (the live view is pushed over socket.io). With
// `view`, each goes out as remotes see it (needsPassword, hasPassword); passwords never do.
import { Router } from 'express';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { ReceiverRegistry } from '../discovery/registry.js';

export function receiverRouter(registry: Pick<ReceiverRegistry, 'list'>, view: (d: ReceiverDescriptor) => ReceiverDescriptor = (d) => d): Router {
  const r = Router();
  r.get('/api/receivers', (_req, res) => {
    res.json({ items: registry.list().map(view) });
  });
  return r;
}
