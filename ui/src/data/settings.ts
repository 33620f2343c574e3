// The owner's settings as the remote sees them (server/settings/routes.ts): the values, which the
// owner changed, what waits for a restart; and the folder browser (folders only).
import { callApi } from './api-call.js';
export type LibraryKind = 'music' | 'video' | 'photo' | 'mixed';
export interface LibrarySetting { name: string; path: string; kind: LibraryKind }
export interface ReceiverSetting { kind: string; name: string; host: string; port?: number; model?: string; type?: 'tv' | 'speaker' | 'group'; needsPassword?: boolean }
export interface Settings {
  libraries: LibrarySetting[];
  receivers: ReceiverSetting[];
  discovery: { mdns: boolean; ssdp: boolean };
  transcode: { maxProcesses: number; perUrl: number; idleSeconds: number };
  remote: { enabled: boolean; port: number; publicUrl: string | null };
  limits: { memberTranscodes: number | null; remoteBitrateKbps: number | null; remoteSessionIdleDays: number };
  playback: { audioLanguages: string[] };
}
export interface SettingsView { values: Settings; changed: (keyof Settings)[]; restartNeeded: string[] }
export interface Folder { name: string; path: string }
export interface FolderListing { path: string; parent: string | null; folders: Folder[]; truncated: boolean }
export interface StartingPoints { places: Folder[]; found: LibrarySetting[] }

const api = <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => callApi<T>(`api/settings${path}`, init);

export const getSettings = () => api<SettingsView>('');
export const changeSettings = (patch: Partial<Settings>) => api<SettingsView>('', { method: 'PATCH', body: patch });
export const resetSetting = (key: keyof Settings) => api<SettingsView>(`/${key}`, { method: 'DELETE' });
export const startingPoints = () => api<StartingPoints>('/folders');
export const listFolders = (path: string) => api<FolderListing>(`/folders?path=${encodeURIComponent(path)}`);

/** A library's name from its folder ("/home/me/Music" → "Music"). */
export const nameFromPath = (path: string) => path.split('/').filter(Boolean).pop() ?? 'Library';
