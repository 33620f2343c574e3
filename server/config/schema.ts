// The config file's shape: every key, its type, its default. config.example.json documents the same keys.
import { z } from 'zod';

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
  dataDir: z.string().min(1).default('./data'),
  libraries: z.array(librarySchema).optional(),
  receivers: z.array(manualReceiverSchema).default([]),
  discovery: z
    .strictObject({
      mdns: z.boolean().default(true),
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
