// What the server tells a page playing itself ("This device") to do, as Socket.IO `device:command`
// events the page acknowledges (ui/src/data/browser-receiver.ts). No Node imports: the page's build reads it.
import type { LoadRequest } from '../types.js';

export type BrowserCommand =
  | { op: 'load'; req: LoadRequest }
  | { op: 'play' | 'pause' | 'stop' }
  | { op: 'seek'; position: number }
  | { op: 'volume'; level: number }
  | { op: 'mute'; muted: boolean }
  | { op: 'subtitle'; index: number | null };
