// What the emulator reports about itself: one object per event, printed as one JSON line by the
// CLI and emitted on `events` in-process. Tests and the demo read these; keep fields additive.

/** What ffprobe found in the stream that is (or would have been) played. */
export interface ProbedStreams {
  /** Our container name ('mp4', 'matroska', 'webm', 'mpegts', 'mp3', ...), from ffprobe's format_name. */
  container: string;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
}

export type IdleReasonWire = 'FINISHED' | 'CANCELLED' | 'INTERRUPTED' | 'ERROR';

export type EmulatorEvent =
  | { event: 'listening'; port: number; host: string; name: string; model: string; id: string; mdns: boolean }
  | { event: 'launch'; appId: string; sessionId: string }
  | { event: 'app-stopped'; appId: string; sessionId: string }
  | { event: 'load'; url: string; contentType: string; position: number; mediaSessionId: number; activeTrackIds: number[] }
  /** EDIT_TRACKS_INFO changed the active tracks. */
  | { event: 'tracks'; url: string; activeTrackIds: number[]; mediaSessionId: number }
  /** An active text track was fetched (its cue count) or could not be shown (why). */
  | { event: 'text-track'; trackId: number; url: string; mediaSessionId: number; cues?: number; error?: string }
  | { event: 'refused'; url: string; reason: string; mediaSessionId: number }
  | ({ event: 'playing'; url: string; position: number; duration: number | null; mediaSessionId: number } & ProbedStreams)
  | { event: 'buffering'; url: string; position: number; mediaSessionId: number }
  | { event: 'paused'; url: string; position: number; mediaSessionId: number }
  | { event: 'seek'; url: string; position: number; mediaSessionId: number }
  | { event: 'idle'; url: string; reason: IdleReasonWire; position: number; mediaSessionId: number; error?: string }
  | { event: 'volume'; level: number; muted: boolean }
  /** A Cast Streaming session started (the mirroring app took an OFFER). */
  | { event: 'streaming'; codec: 'opus'; targetDelay: number; encrypted: true; udpPort: number }
  | { event: 'streaming-stopped'; framesPlayed: number; framesDropped: number; samplesLate: number; minMarginMs: number | null };

export type EventName = EmulatorEvent['event'];
