// REST view of the receivers discovery knows (the live view is pushed over socket.io).
import { Router } from 'express';
import type { ReceiverRegistry } from '../discovery/registry.js';

export function receiverRouter(registry: ReceiverRegistry): Router {
  const r = Router();
  r.get('/api/receivers', (_req, res) => {
    res.json({ items: registry.list() });
  });
  return r;
}
