// The AirPlay driver's parts that are not its control flow (driver.ts): its options, the volume
// scale, how an RTSP refusal reads, and the state of a stream and of a preloaded item.
import type { Artwork } from './raop/metadata.js';
import type { Decoder as RaopDecoder } from './raop/decoder.js';
import { RtspAuthError, RtspError, type RaopCodec } from './raop/rtsp.js';
import type { RaopSession } from './raop/sender.js';
import { NeedsPasswordError, type ConnectOptions, type LoadRequest } from '../types.js';

export interface AirPlayDriverOptions extends ConnectOptions {
  /** The ffmpeg program (default 'ffmpeg'). */
  ffmpegPath?: string;
  timeoutMs?: number;
  /** How long load() waits for the first decoded audio (default 20 s). */
  firstAudioTimeoutMs?: number;
  /** Overrides the codec the speaker's TXT `cn` asks for ('alac' unless it lacks ALAC). */
  codec?: RaopCodec;
  log?: (msg: string, fields?: object) => void;
}

/** AirPlay volume in dB for a level 0..1: −30 … 0, and 0 → −144 (mute). */
export function levelToDb(level: number): number {
  const l = Math.min(1, Math.max(0, level));
  return l === 0 ? -144 : -30 + 30 * l;
}

/** A readable error for an RTSP refusal. */
export function explain(err: unknown, name: string): Error {
  if (err instanceof RtspAuthError) return new NeedsPasswordError(err.wrong ? `${name} did not accept the password` : `${name} needs a password`, err.wrong);
  if (err instanceof RtspError) {
    const s = err.response.status;
    if (s === 403) return new Error(`${name} refused us (403 Forbidden)`);
    if (s === 453) return new Error(`${name} is busy with another sender`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** An item's decoder; `next` when it decodes the preloaded item that follows the heard one. */
export type Decoder = RaopDecoder<Upcoming>;

/** A preloaded item: its request and cover, and once its decoder runs, where it starts. */
export interface Upcoming {
  readonly req: LoadRequest;
  readonly artwork: Promise<Artwork>;
  /**
   * Started at preload(), so its first PCM is there the moment the current item's ends: waiting
   * for ffmpeg to start then would stall the stream and push the timeline ahead (a jump in RTP).
   */
  decoder?: Decoder;
  /** Timeline frame of its first frame, session.packetsSent then and when that frame is heard. */
  frame?: number;
  packets?: number;
  audibleAt?: number;
  timer?: NodeJS.Timeout;
}

/** One RAOP stream (one per load) and the item heard on it now (a gapless advance changes it). */
export interface Playing {
  req: LoadRequest;
  readonly session: RaopSession;
  /** Media seconds of the first frame of the current segment (load, seek or resume). */
  segStart: number;
  /** session.packetsSent when the segment's first packet went out (−1 until then). */
  segPackets: number;
  /** performance.now() when the segment's first packet is heard (sent + latency). */
  audibleAt: number;
  gen: number;
  decoder: Decoder | undefined;
  /** Wakes the source when a new decoder is there (after a pause) or on stop. */
  wake: (() => void) | undefined;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
  /** The session is being fed (false once all of the item's audio was sent). */
  streaming: boolean;
  /** The cover, fetched while the session opens. */
  artwork: Promise<Artwork>;
  /** Track info and art went out (once per item; progress goes with every segment). */
  announced: boolean;
  /** Given by preload(), not yet decoding. */
  pending: Upcoming | undefined;
  /** Decoding after the heard item, not yet heard. */
  upcoming: Upcoming | undefined;
  /** Decoded PCM short of a whole packet, sent with the next PCM of this stream. */
  carry: Buffer;
}
