// What the owner can change in the remote's settings page: a few top-level keys of the config,
// each kept whole in the settings table once changed (store.ts). The config file gives the
// defaults; a key changed here wins over it until the owner resets it.
import { z } from 'zod';
import { languageTag } from '../config/language-tag.js';
import { librarySchema, manualReceiverSchema } from '../config/schema.js';

export const settingsSchema = z.strictObject({
  libraries: z.array(librarySchema.extend({ name: z.string().trim().min(1, 'give the library a name').max(64) })).max(100),
  /** Receivers added by address; their passwords stay in the config or the remote's password dialog. */
  receivers: z.array(manualReceiverSchema.omit({ password: true })).max(200),
  discovery: z.strictObject({ mdns: z.boolean(), ssdp: z.boolean() }),
  transcode: z.strictObject({
    maxProcesses: z.number().int().min(1).max(256),
    perUrl: z.number().int().min(1).max(16),
    idleSeconds: z.number().min(0.5).max(3600),
  }),
  remote: z.strictObject({
    enabled: z.boolean(),
    port: z.number().int().min(0).max(65535),
    publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).nullable(),
  }),
  limits: z.strictObject({
    /** null: no cap beyond the server's. */
    memberTranscodes: z.number().int().min(1).max(64).nullable(),
    remoteBitrateKbps: z.number().int().min(64).max(100_000).nullable(),
    remoteSessionIdleDays: z.number().int().min(1).max(3650),
  }),
  playback: z.strictObject({ audioLanguages: z.array(languageTag).max(8) }),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsKey = keyof Settings;
export const settingsKeys = Object.keys(settingsSchema.shape) as SettingsKey[];
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Keys that take effect at once; the others when the server starts again. */
export const liveKeys: readonly SettingsKey[] = ['libraries', 'receivers', 'discovery', 'transcode', 'limits', 'playback'];
/** Within a live key, fields that still wait for a restart. */
export const restartFields: Partial<Record<SettingsKey, readonly string[]>> = { transcode: ['perUrl', 'idleSeconds'] };
