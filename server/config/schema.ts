// The config file's shape: every key, its type, its default. config.example.json documents the same keys.
import { z } from 'zod';
import { languageTag } from './language-tag.js';
import { isProxyEntry } from './proxy-entry.js';

export const libraryKinds = ['music', 'video', 'photo', 'mixed'] as const;
export type LibraryKind = (typeof libraryKinds)[number];

export const librarySchema = z.strictObject({
  name: z.string().min(1, 'must be a non-empty name'),
  path: z.string().min(1, 'must be a folder path'),
  kind: z.enum(libraryKinds),
});

/** A receiver added by address, for networks where mDNS does not get through. */
export const manualReceiverSchema = z.strictObject({
  kind: z.string().min(1),
  name: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  /** Model name as the device reports it (picks what it can play); unknown → conservative. */
  model: z.string().min(1).optional(),
  type: z.enum(['tv', 'speaker', 'group']).optional(),
  /** The device asks for a password (AirPlay pw=true); the remote asks the user unless `password` is given. */
  needsPassword: z.boolean().optional(),
  /** Used when the user has not given one in a remote (theirs wins). */
  password: z.string().min(1).max(256).optional(),
});

export const configSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8420),
  host: z.string().min(1).default('0.0.0.0'),
  /** Where phones open the remote when that is not this machine's LAN address (a reverse proxy, a DNS name). */
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Names besides this machine's own (hostname, .local, its addresses, localhost) that browsers may use; others get 421. */
  allowedHosts: z.array(z.string().regex(/^[A-Za-z0-9._:-]+$/, 'must be a host name or address, without scheme or port')).default([]),
  /**
   * Remote access: HTTPS on its own port (certFile/keyFile, else a self-signed certificate kept in
   * the data folder). trustedProxies: the only peers whose X-Forwarded-* are believed (any port).
   */
  remote: z
    .strictObject({
      enabled: z.boolean().default(false),
      port: z.number().int().min(0).max(65535).default(8443),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      trustedProxies: z.array(z.string().refine(isProxyEntry, 'must be an IP address or a subnet such as 192.168.1.0/24')).default([]),
    })
    .refine((r) => (r.certFile === undefined) === (r.keyFile === undefined), 'certFile and keyFile go together')
    .default({ enabled: false, port: 8443, trustedProxies: [] }),
  dataDir: z.string().min(1).default('./data'),
  libraries: z.array(librarySchema).optional(),
  receivers: z.array(manualReceiverSchema).default([]),
  discovery: z
    .strictObject({
      mdns: z.boolean().default(true),
      /** SSDP search for DLNA renderers; absent: as `mdns` (so a server with multicast off sends none). */
      ssdp: z.boolean().optional(),
      /** Seconds between heartbeats to each receiver; two misses mark it offline. */
      heartbeatSeconds: z.number().min(0.2).max(600).default(5),
    })
    .default({ mdns: true, heartbeatSeconds: 5 }),
  /**
   * The Sendspin server (synchronised players: ESPHome speakers, PipeWire, the Sendspin apps) on its
   * own port at /sendspin, as the protocol's spec says; 0 picks a free port. The web remote's own
   * player connects through the main port instead.
   */
  sendspin: z
    .strictObject({
      enabled: z.boolean().default(true),
      port: z.number().int().min(0).max(65535).default(8927),
    })
    .default({ enabled: true, port: 8927 }),
  /**
   * "accounts": people sign in (an owner set up on first start, paired phones); "lan-open": anyone
   * who can reach the server does everything, as before accounts existed (README "Security").
   */
  auth: z.strictObject({ mode: z.enum(['accounts', 'lan-open']).default('accounts') }).default({ mode: 'accounts' }),
  /** The DLNA MediaServer: TVs, consoles and apps on the LAN browse the library (README "DLNA"). */
  dlna: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** The name TVs show; default "homecast on <hostname>". */
      name: z.string().min(1).max(64).optional(),
    })
    .default({ enabled: true }),
  streamUrlTtlSeconds: z.number().int().min(60).default(24 * 3600),
  scan: z
    .strictObject({
      onStart: z.boolean().default(true),
      watch: z.boolean().default(true),
      workers: z.number().int().min(0).max(64).optional(),
    })
    .default({ onStart: true, watch: true }),
  /** ffmpeg processes the media routes run at once (live transcodes, HLS, thumbnails, subtitles). */
  transcode: z
    .strictObject({
      /** Default: one per core, at least 2. */
      maxProcesses: z.number().int().min(1).max(256).optional(),
      /** ffmpeg processes one live-transcode URL may run at once; past it, 429. */
      perUrl: z.number().int().min(1).max(16).default(2),
      /** A client of a live transcode that reads nothing for this long loses its stream. */
      idleSeconds: z.number().min(0.5).max(3600).default(30),
    })
    .default({ perUrl: 2, idleSeconds: 30 }),
  /** Per-user caps (README "Settings"): a member's live transcodes at once, the bitrate a session from
   *  outside (remote access) is transcoded down to, and how long such a session lasts unused. */
  limits: z
    .strictObject({
      memberTranscodes: z.number().int().min(1).max(64).optional(),
      remoteBitrateKbps: z.number().int().min(64).max(100_000).optional(),
      remoteSessionIdleDays: z.number().int().min(1).max(3650).default(30),
    })
    .default({ remoteSessionIdleDays: 30 }),
  /** The audio languages a video starts in on receivers, most wanted first (README "Audio language");
   *  a file with none of them plays its default stream. "This device" uses the browser's languages. */
  playback: z.strictObject({ audioLanguages: z.array(languageTag).max(8).default([]) }).default({ audioLanguages: [] }),
  ffmpegPath: z.string().min(1).default('ffmpeg'),
  ffprobePath: z.string().min(1).default('ffprobe'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type LibraryConfig = z.infer<typeof librarySchema>;
export type ManualReceiverConfig = z.infer<typeof manualReceiverSchema>;
export type RawConfig = z.infer<typeof configSchema>;

/** The config after loading: paths absolute, libraries resolved (defaults filled in). */
export interface Config extends Omit<RawConfig, 'libraries'> {
  libraries: LibraryConfig[];
  /** Where the config came from, for messages. */
  source: string;
}
