// What the software AirPlay speaker reports: one object per event, printed as one JSON line by the
// CLI and emitted on `events` in-process. Tests, the demo and people trying a sender read these;
// keep fields additive. Times are milliseconds of the local monotonic clock (CLOCK_MONOTONIC,
// the same in every process of this machine), so two speakers' schedules can be compared.

export type SpeakerCodec = 'alac' | 'pcm';

/** Counters of one session, and the loudness of what was played since the previous stats. */
export interface SpeakerStats {
  /** Audio packets received (first copies and resends). */
  packets: number;
  /** Packets played at their time. */
  played: number;
  /** Packets that came (or would have played) after their time: not played, silence instead. */
  late: number;
  /** Packets that never came before their time: silence instead. */
  lost: number;
  /** Packets asked for again (0x80 0xD5), and resends received (0x80 0xD6). */
  resendRequested: number;
  resent: number;
  duplicates: number;
  /** Packets dropped because a FLUSH said so, or still waiting for their time when the session ended. */
  flushed: number;
  /** Payloads we could not decode (compressed ALAC, wrong size): silence instead. */
  undecodable: number;
  /** Jumps of more than 1024 in sequence numbers without a FLUSH: play-out restarted there. */
  discontinuities: number;
  /** RMS and peak of the played audio since the previous stats, dBFS (−Infinity → null). */
  rmsDb: number | null;
  peakDb: number | null;
  /** Played frames where a channel exceeds ±64 (the session so far). */
  loudFrames: number;
}

export type SpeakerEvent =
  | { event: 'listening'; port: number; host: string; name: string; id: string; instance: string | null; password: boolean }
  | { event: 'session'; peer: string; codec: SpeakerCodec; framesPerPacket: number; userAgent: string | null }
  | { event: 'setup'; serverPort: number; controlPort: number; timingPort: number; senderControlPort: number; senderTimingPort: number }
  | { event: 'record'; seq: number | null; rtptime: number | null; audioLatency: number }
  | { event: 'clock'; offsetMs: number; rttMs: number }
  /** The first packet after RECORD or FLUSH that is not silent, when it is played. */
  | { event: 'playing'; seq: number; rtptime: number; at: number; latencyFrames: number }
  | { event: 'volume'; db: number }
  | { event: 'metadata'; title: string | null; artist: string | null; album: string | null; rtptime: number | null }
  | { event: 'artwork'; type: string; detected: string | null; bytes: number; rtptime: number | null }
  | { event: 'progress'; start: number; curr: number; end: number; position: number; duration: number }
  | { event: 'flush'; seq: number | null; rtptime: number | null }
  | { event: 'teardown'; reason: 'teardown' | 'connection closed' | 'emulator closed' }
  | ({ event: 'stats'; final: boolean } & SpeakerStats)
  /** A request answered with an error status (401 without a password, 453 busy, 415 codec…). */
  | { event: 'refused'; method: string; status: number; reason: string };

export type SpeakerEventName = SpeakerEvent['event'];

/** One packet's place in time: what tests use to check that several speakers play together. */
export interface PlayRecord {
  seq: number;
  rtptime: number;
  /** When it was (or would have been) played: local monotonic ns, and the sender's NTP ns. */
  playAtNs: bigint;
  senderNs: bigint;
  outcome: 'played' | 'late' | 'lost';
}

/** Each packet's audio as it is played out (silence for late and lost ones). */
export interface PlayedAudio extends PlayRecord {
  /** s16le interleaved stereo, 44.1 kHz. */
  pcm: Buffer;
}

interface ExtraEvents {
  /** Every SpeakerEvent, in order. */
  event: [SpeakerEvent];
  audio: [PlayedAudio];
  warning: [string];
}

/** Each SpeakerEvent under its own name, plus the extras. */
export type SpeakerEventMap = {
  [K in SpeakerEventName | keyof ExtraEvents]: K extends keyof ExtraEvents ? ExtraEvents[K] : [Extract<SpeakerEvent, { event: K }>];
};
