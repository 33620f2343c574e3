// What every receiver kind implements (Chromecast, AirPlay, ...) and what a receiver can play.
// Playback talks to receivers only through these types; receivers never import server/ code.
import type { GroupMemberState } from './group/types.js';

/** Limits of one video codec on one device. Absent limit = no limit known. */
export interface VideoCodecSupport {
  codec: 'h264' | 'hevc' | 'vp8' | 'vp9' | 'av1';
  /** ffprobe profile names accepted, e.g. ['Baseline', 'Main', 'High']. Absent = any. */
  profiles?: string[];
  /** Highest level, as ffprobe reports it (H.264 4.1 → 41; HEVC 5.1 → 153). */
  maxLevel?: number;
  maxWidth?: number;
  maxHeight?: number;
  maxFrameRate?: number;
  /**
   * Size/rate pairs the decoder manages, e.g. 720p60 or 1080p30: the stream must fit one of them
   * (long edge ≤ width, short edge ≤ height, rate ≤ frameRate). Absent = the max* limits alone.
   */
  modes?: { width: number; height: number; frameRate: number }[];
  maxBitDepth?: number;
  /** HDR formats played as HDR; others must be tone-mapped or refused. */
  hdr?: ('hdr10' | 'hlg' | 'dolby-vision')[];
}

export interface AudioCodecSupport {
  codec: 'aac' | 'mp3' | 'flac' | 'opus' | 'vorbis' | 'pcm' | 'alac' | 'ac3' | 'eac3';
  maxSampleRate?: number;
  maxBitDepth?: number;
  maxChannels?: number;
}

export interface Profile {
  /** Human name of the device class, used in reasons ("Chromecast (2nd gen)"). */
  name: string;
  /** True for speakers: video is never sent, only its audio. */
  audioOnly: boolean;
  /** Containers as ffprobe/our media routes name them: 'mp4', 'matroska', 'webm', 'mpegts', 'mp3', 'ogg', 'flac', 'wav', 'adts'. */
  containers: string[];
  videoCodecs: VideoCodecSupport[];
  audioCodecs: AudioCodecSupport[];
  /** Side-loaded subtitle formats, e.g. ['webvtt']. */
  subtitleFormats: string[];
  /** Highest total bitrate the device takes, bits/s. */
  maxBitrate?: number;
  /** Image formats it shows (photos). */
  imageFormats: string[];
}

export type PlayerState = 'idle' | 'loading' | 'buffering' | 'playing' | 'paused';
export type IdleReason = 'finished' | 'stopped' | 'interrupted' | 'error' | 'gone';

export interface ReceiverStatus {
  state: PlayerState;
  /** Seconds into the item, true at `at` (ms since epoch); interpolate with `rate` while playing. */
  position: number;
  at: number;
  rate: number;
  duration: number | null;
  volume: { level: number; muted: boolean };
  idleReason?: IdleReason;
  /** Human reason for an error or refusal. */
  error?: string;
  /**
   * On a 'finished' status: the receiver went straight on, without a gap, to the item it was given
   * with preload() (this is that request's url). The caller must not load it again.
   */
  preloaded?: string;
}

export interface MediaMetadata {
  title: string;
  artist?: string;
  album?: string;
  albumArtist?: string;
  trackNo?: number;
  artUrl?: string;
  kind: 'audio' | 'video' | 'photo';
}

export interface LoadRequest {
  /** Absolute URL the receiver fetches (signed). */
  url: string;
  contentType: string;
  metadata: MediaMetadata;
  duration: number | null;
  /** Seconds into the item to start at. */
  startAt: number;
  /** Side-loaded text tracks (absolute URLs). */
  subtitles?: { url: string; language: string | null; name: string; contentType: string }[];
  /** The one of `subtitles` shown from the start (its index); absent: none is. */
  activeSubtitle?: number;
  /** Whether the stream is a live transcode (no seeking within it: seek means reload). */
  live: boolean;
}

/** Optional abilities, declared so callers check before using them. */
export interface Capabilities {
  seek: boolean;
  volume: boolean;
  pause: boolean;
  subtitles: boolean;
}

export interface ReceiverEvents {
  status: [ReceiverStatus];
  /** The device went away (connection lost and not regained). */
  gone: [string];
}

export interface Receiver {
  readonly id: string;
  readonly capabilities: Capabilities;
  connect(): Promise<void>;
  load(req: LoadRequest): Promise<void>;
  play(): Promise<void>;
  pause(): Promise<void>;
  seek(seconds: number): Promise<void>;
  stop(): Promise<void>;
  setVolume(level: number): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  status(): ReceiverStatus;
  /**
   * Optional (gapless playback): the item after the current one. If the current item plays to its
   * end, the receiver starts `next` at that very frame and reports the current one 'finished' with
   * `preloaded: next.url`, then `next` playing. A later preload() replaces it; load() and stop()
   * drop it. Too late (the current item already ended) is not an error: nothing happens.
   */
  preload?(next: LoadRequest): void;
  /**
   * Optional (capabilities.subtitles): shows the loaded request's text track with this index (null:
   * none) without reloading. Resolves false when the device cannot change tracks in place: the
   * caller then reloads with `activeSubtitle` at the current position.
   */
  setSubtitle?(index: number | null): Promise<boolean>;
  on<E extends keyof ReceiverEvents>(event: E, listener: (...args: ReceiverEvents[E]) => void): this;
  off<E extends keyof ReceiverEvents>(event: E, listener: (...args: ReceiverEvents[E]) => void): this;
  close(): Promise<void>;
}

/** A receiver as discovery sees it, before anyone connects. */
export interface ReceiverDescriptor {
  /** Stable id: kind + the device's own id (Cast TXT `id`). */
  id: string;
  kind: string;
  name: string;
  model: string | null;
  /** The model as people know it ("Apple TV (3rd generation)" for AppleTV3,2), when its kind knows it. */
  modelName?: string;
  host: string;
  port: number;
  /** 'tv' (video out), 'speaker' (audio only), 'group' (several speakers). */
  type: 'tv' | 'speaker' | 'group';
  online: boolean;
  lastSeen: number;
  /** Where it came from: mDNS, SSDP (DLNA), the config's manual list, a Sendspin client that connected to us, a group a person made (server/groups), or a page of the remote playing itself ("This device"). */
  source: 'mdns' | 'ssdp' | 'config' | 'demo' | 'sendspin' | 'group' | 'browser';
  /**
   * Ports of the device's services by mDNS service type, when one device announces several
   * (an Apple TV: `{ airplay: 7000, raop: 7000 }`). The registry merges them across sightings.
   */
  endpoints?: Record<string, number>;
  /**
   * This sighting only adds an endpoint (an Apple TV's `_airplay._tcp` beside its `_raop._tcp`):
   * when the device is already known from its main service, host/port stay that service's.
   */
  secondary?: boolean;
  /** The device asks for a password before it plays (AirPlay `pw=true`); the remote asks the user. */
  needsPassword?: boolean;
  /** A group (kind 'group'): its members' registry ids, in order. */
  members?: string[];
  /** A group: each member's state (volume, delay, playing or gone, in sync or not). */
  group?: GroupMemberState[];
}

/** What a driver may need beyond the descriptor: secrets the user gave for this receiver. */
export interface ConnectOptions {
  password?: string;
}

/** An mDNS service record as bonjour-service's `find()` yields it (the fields kinds read). */
export interface MdnsRecord {
  name: string;
  /** Service type without underscores or protocol, as bonjour-service reports it ('raop', 'airplay'). */
  type?: string;
  host: string;
  port: number;
  addresses?: string[];
  referer?: { address: string };
  txt?: Record<string, unknown>;
}

/**
 * Thrown (or carried as status error code) when a receiver wants a password we do not have or
 * refused the one we gave; the remote then asks the user for it.
 */
export class NeedsPasswordError extends Error {
  readonly code = 'needs-password';
  constructor(message: string, readonly wrong = false) {
    super(message);
    this.name = 'NeedsPasswordError';
  }
}
