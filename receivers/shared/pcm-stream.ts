// What the PCM driver (pcm-driver.ts) plays to: one speaker's RAOP session, or a group's stream to
// several members on one timeline. Packets are paced in real time on `timeline`; each frame is
// heard `latency` frames after its time there. Also the state the driver keeps per stream.
import type { EventEmitter } from 'node:events';
import type { NtpClock, Timeline } from '../airplay/raop/clock.js';
import type { Decoder as PcmDecoder } from '../airplay/raop/decoder.js';
import type { Artwork } from '../airplay/raop/metadata.js';
import type { LoadRequest, MediaMetadata } from '../types.js';

/** Now playing for displays: the segment starting at timeline `frame` is media second `position`. */
export interface StreamNowPlaying {
  frame: number;
  position: number;
  duration: number | null;
  /** Track info and cover too (once per item); without it, progress only (seek, resume). */
  item?: { metadata: MediaMetadata; artwork: Promise<Artwork> };
}

export interface PcmStreamEvents {
  /** The stream is lost (its speaker went away, or every member of a group did). */
  error: [Error];
}

export interface PcmStream extends EventEmitter<PcmStreamEvents> {
  readonly clock: NtpClock;
  readonly timeline: Timeline;
  readonly latency: number;
  /** Packets sent since the stream opened. */
  readonly packetsSent: number;
  /** Timeline frame of the last packet sent. */
  readonly lastFrame: number;
  /** The timeline frame the next packet would get if sent now. */
  frameNow(): number;
  /** Streams s16le 44.1 kHz stereo PCM at real-time pace; resolves when all of it was sent. */
  play(source: AsyncIterable<Buffer>): Promise<void>;
  /** Stops sending and drops what was sent and not heard (FLUSH). */
  pause(): Promise<void>;
  resume(): void;
  /** Sender time (NTP ns) at which the last frame sent so far is heard. */
  playedOutAtNs(): bigint;
  setVolume(level: number, muted: boolean): Promise<void>;
  nowPlaying(n: StreamNowPlaying): void;
  stop(): Promise<void>;
}

/** An item's decoder; `next` when it decodes the preloaded item that follows the heard one. */
export type Decoder = PcmDecoder<Upcoming>;

/** A preloaded item: its request and cover, and once its decoder runs, where it starts. */
export interface Upcoming {
  readonly req: LoadRequest;
  readonly artwork: Promise<Artwork>;
  /**
   * Started at preload(), so its first PCM is there the moment the current item's ends: waiting
   * for ffmpeg to start then would stall the stream and push the timeline ahead (a jump in RTP).
   */
  decoder?: Decoder;
  /** Timeline frame of its first frame, stream.packetsSent then and when that frame is heard. */
  frame?: number;
  packets?: number;
  audibleAt?: number;
  timer?: NodeJS.Timeout;
}

/** One stream (one per load) and the item heard on it now (a gapless advance changes it). */
export interface Playing {
  req: LoadRequest;
  readonly stream: PcmStream;
  /** Media seconds of the first frame of the current segment (load, seek or resume). */
  segStart: number;
  /** stream.packetsSent when the segment's first packet went out (−1 until then). */
  segPackets: number;
  /** performance.now() when the segment's first packet is heard (sent + latency). */
  audibleAt: number;
  gen: number;
  decoder: Decoder | undefined;
  /** Wakes the source when a new decoder is there (after a pause) or on stop. */
  wake: (() => void) | undefined;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
  /** The stream is being fed (false once all of the item's audio was sent). */
  streaming: boolean;
  /** The cover, fetched while the stream opens. */
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
