// What the server tells a page playing itself ("This device") to do, as Socket.IO `device:command`
// events the page acknowledges (ui/src/data/browser-receiver.ts). No imports: the page's build
// reads it, with the part of LoadRequest it reads as `Req` (receivers/types.ts holds Node types).
export type BrowserCommandOf<Req> =
  | { op: 'load'; req: Req }
  | { op: 'play' | 'pause' | 'stop' }
  | { op: 'seek'; position: number }
  | { op: 'volume'; level: number }
  | { op: 'mute'; muted: boolean }
  | { op: 'subtitle'; index: number | null };
