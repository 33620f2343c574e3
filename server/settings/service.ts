// Settings as the server runs with them: the config file's values, with what the owner changed in
// the remote (the settings table) on top. Changes are validated, stored, and announced (`changed`,
// with the keys) so the parts that can take them at once do (settings/live.ts); the view says
// which changes wait for a restart.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { ssdpOn } from '../discovery/index.js';
import { defaultMaxProcesses } from '../media/ffmpeg-slots.js';
import type { Config } from '../config/schema.js';
import { manualDescriptors } from '../discovery/manual.js';
import { kinds } from '../../receivers/index.js';
import { allowedFolder, FolderError } from './folders.js';
import { liveKeys, restartFields, settingsKeys, settingsPatchSchema, type Settings, type SettingsKey, type SettingsPatch } from './schema.js';
import type { SettingsStore } from './store.js';

export interface SettingsView {
  values: Settings;
  /** Keys the owner changed here (the others are the config file's). */
  changed: SettingsKey[];
  /** What waits for a restart ("remote", "transcode.perUrl"). */
  restartNeeded: string[];
  live: readonly SettingsKey[];
}

/** The settings a loaded config stands for. */
export function settingsOf(c: Config): Settings {
  return {
    libraries: c.libraries.map((l) => ({ ...l })),
    receivers: c.receivers.map(({ password: _password, ...r }) => r),
    discovery: { mdns: c.discovery.mdns, ssdp: ssdpOn(c.discovery) },
    transcode: { maxProcesses: c.transcode.maxProcesses ?? defaultMaxProcesses(), perUrl: c.transcode.perUrl, idleSeconds: c.transcode.idleSeconds },
    remote: { enabled: c.remote.enabled, port: c.remote.port, publicUrl: c.publicUrl ?? null },
    limits: { memberTranscodes: c.limits.memberTranscodes ?? null, remoteBitrateKbps: c.limits.remoteBitrateKbps ?? null, remoteSessionIdleDays: c.limits.remoteSessionIdleDays },
    playback: { audioLanguages: [...c.playback.audioLanguages] },
  };
}

/** The config with these settings in it (what the server starts with). */
export function withSettings(c: Config, s: Settings): Config {
  const { publicUrl: _old, ...rest } = c;
  return {
    ...rest,
    libraries: s.libraries,
    // A receiver the config knew keeps its password from there.
    receivers: s.receivers.map((r) => ({ ...c.receivers.find((o) => o.host === r.host && o.kind === r.kind && o.port === r.port), ...r })),
    discovery: { ...c.discovery, mdns: s.discovery.mdns, ssdp: s.discovery.ssdp },
    transcode: { ...c.transcode, ...s.transcode },
    remote: { ...c.remote, enabled: s.remote.enabled, port: s.remote.port },
    ...(s.remote.publicUrl ? { publicUrl: s.remote.publicUrl } : {}),
    playback: { ...c.playback, ...s.playback },
    limits: { remoteSessionIdleDays: s.limits.remoteSessionIdleDays, ...(s.limits.memberTranscodes ? { memberTranscodes: s.limits.memberTranscodes } : {}), ...(s.limits.remoteBitrateKbps ? { remoteBitrateKbps: s.limits.remoteBitrateKbps } : {}) },
  };
}

export class SettingsError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class SettingsService extends EventEmitter<{ changed: [keys: SettingsKey[], now: Settings] }> {
  private defaults: Settings;
  private stored: SettingsPatch;
  /** What this process started with: a change of a key that is not live shows as "restart needed". */
  readonly started: Settings;

  constructor(private store: SettingsStore, fileConfig: Config, private o: { dataDir: string }) {
    super();
    this.defaults = settingsOf(fileConfig);
    this.stored = store.read();
    this.started = this.current();
  }

  current(): Settings {
    return { ...this.defaults, ...this.stored } as Settings;
  }

  view(): SettingsView {
    const now = this.current();
    const restartNeeded: string[] = [];
    const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    for (const k of settingsKeys) {
      if (!liveKeys.includes(k)) {
        if (differs(now[k], this.started[k])) restartNeeded.push(k);
        continue;
      }
      for (const f of restartFields[k] ?? []) if (differs((now[k] as Record<string, unknown>)[f], (this.started[k] as Record<string, unknown>)[f])) restartNeeded.push(`${k}.${f}`);
    }
    return { values: now, changed: settingsKeys.filter((k) => this.stored[k] !== undefined), restartNeeded, live: liveKeys };
  }

  async update(body: unknown): Promise<SettingsView> {
    const r = settingsPatchSchema.safeParse(body ?? {});
    if (!r.success) throw new SettingsError(400, describe(r.error));
    const patch = r.data;
    if (patch.libraries) patch.libraries = await this.checkLibraries(patch.libraries);
    if (patch.receivers) {
      try {
        manualDescriptors(patch.receivers, kinds);
      } catch (e) {
        throw new SettingsError(400, (e as Error).message.replace(/^"/, '').replace(/"(?=:)/, ''));
      }
    }
    const before = this.current();
    const keys = (Object.keys(patch) as SettingsKey[]).filter((k) => JSON.stringify(patch[k]) !== JSON.stringify(before[k]));
    this.store.write(patch);
    this.stored = { ...this.stored, ...patch };
    if (keys.length) this.emit('changed', keys, this.current());
    return this.view();
  }

  reset(key: string): SettingsView {
    if (!settingsKeys.includes(key as SettingsKey)) throw new SettingsError(404, `no setting "${key}" (known: ${settingsKeys.join(', ')})`);
    const k = key as SettingsKey;
    const before = JSON.stringify(this.current()[k]);
    this.store.reset(k);
    delete this.stored[k];
    if (JSON.stringify(this.current()[k]) !== before) this.emit('changed', [k], this.current());
    return this.view();
  }

  /** New library folders must be folders a library may be, apart from each other; names unique. */
  private async checkLibraries(list: Settings['libraries']): Promise<Settings['libraries']> {
    const known = new Map(this.current().libraries.map((l) => [l.path, l]));
    const names = new Set<string>();
    const out: Settings['libraries'] = [];
    for (const [i, l] of list.entries()) {
      const key = l.name.toLowerCase();
      if (names.has(key)) throw new SettingsError(400, `libraries[${i}].name: "${l.name}" is used twice`);
      names.add(key);
      if (known.has(l.path)) {
        out.push(l);
        continue;
      }
      const path = await allowedFolder(l.path, this.o).catch((e: unknown) => {
        throw e instanceof FolderError ? new SettingsError(e.status, `libraries[${i}].path: ${e.message}`) : e;
      });
      const clash = out.concat(list.slice(i + 1)).find((o) => o.path === path || o.path.startsWith(`${path}/`) || path.startsWith(`${o.path}/`));
      if (clash) throw new SettingsError(400, `libraries[${i}].path: ${path} overlaps the library "${clash.name}" (${clash.path})`);
      out.push({ ...l, path });
    }
    return out;
  }
}

function describe(e: z.ZodError): string {
  const issue = e.issues[0]!;
  const key = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  if (issue.code === 'unrecognized_keys') return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${key ? ` in ${key}` : ''}`;
  return key ? `${key}: ${issue.message}` : issue.message;
}
