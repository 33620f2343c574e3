// What the emulated Apple TV reports about itself: one JSON-able object per event, printed as one
// line by the CLI and emitted on `events` in-process (as 'event' and under its own name).
// Tests and the demo read these; keep fields additive.

export interface ProbedWire {
  container: string;
  videoCodec: string | null;
  /** The video's fourcc in its container (e.g. 'hvc1' or 'hev1' for HEVC in MP4). */
  videoTag: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
}

export type VideoEmulatorEvent =
  | { event: 'listening'; port: number; host: string; name: string; model: string; deviceId: string; mdns: boolean }
  | { event: 'reverse'; sessions: number }
  | { event: 'pairing-required'; path: string }
  | { event: 'auth-required'; path: string; sent: boolean }
  | { event: 'play'; url: string; startPosition: number; body: 'text/parameters' | 'binary-plist' | 'xml-plist' }
  | ({ event: 'playing'; url: string; position: number; duration: number | null } & ProbedWire)
  | { event: 'refused'; url: string; reason: string }
  | { event: 'rate'; url: string; rate: number; position: number }
  | { event: 'scrub'; url: string; position: number }
  /** An HLS stream's media from `from` seconds on has arrived (after the start or a scrub). */
  | { event: 'reading'; url: string; from: number }
  | { event: 'stop'; url: string | null; position: number }
  | { event: 'ended'; url: string; position: number; duration: number | null }
  | { event: 'photo'; bytes: number; sha256: string; assetKey: string | null; transition: string | null; jpeg: boolean; width: number | null; height: number | null };

export type VideoEventName = VideoEmulatorEvent['event'];
