// Accounts as the remote sees them (server/auth/routes.ts): who is signed in, the first-run setup,
// sign-in, pairing links for the QR code, devices and, for the owner, users. The device token is
// an HttpOnly cookie the browser keeps and sends; no script here ever sees it.
import { callApi } from './api-call.js';
export type Role = 'owner' | 'member' | 'guest';

export interface AuthUser { id: number; name: string; role: Role; hasPassword: boolean; libraries: string[] | null; receivers: string[]; maxTranscodes?: number | null; remoteBitrateKbps?: number | null }
export interface AuthDevice { id: number; userId: number; userName: string; name: string; createdAt: number; lastSeenAt: number }

export interface AuthState {
  mode: 'accounts' | 'lan-open';
  setupNeeded: boolean;
  /** Only on the server's own machine while no owner exists. */
  setupToken?: string;
  user: AuthUser | null;
  device: AuthDevice | null;
}

export interface Pairing { token: string; expiresAt: number; ttlSeconds: number; user: AuthUser }

const api = <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => callApi<T>(`api/auth/${path}`, init);

export const authState = () => api<AuthState>('state');
export const setUp = (token: string, name: string, password: string) => api('setup', { method: 'POST', body: { token, name, password } });
export const signIn = (name: string, password: string) => api('login', { method: 'POST', body: { name, password } });
export const redeemPairing = (token: string) => api('pair', { method: 'POST', body: { token } });
export const signOut = () => api('logout', { method: 'POST', body: {} });
export const newPairing = (user?: number) => api<Pairing>('pairings', { method: 'POST', body: user === undefined ? {} : { user } });
export const listDevices = () => api<{ items: AuthDevice[]; current: number | null }>('devices');
export const revokeDevice = (id: number) => api(`devices/${id}`, { method: 'DELETE' });
export const listUsers = () => api<{ items: AuthUser[] }>('users');
export const addUser = (name: string, role: Role, password?: string) => api<AuthUser>('users', { method: 'POST', body: password ? { name, role, password } : { name, role } });
export const changeUser = (id: number, change: Partial<Pick<AuthUser, 'role' | 'libraries' | 'receivers' | 'maxTranscodes' | 'remoteBitrateKbps'>> & { password?: string }) =>
  api<AuthUser>(`users/${id}`, { method: 'PATCH', body: change });
export const deleteUser = (id: number) => api(`users/${id}`, { method: 'DELETE' });

/** What the address carries after #: a setup token (/setup#token=…) or a pairing token (#pair=…). */
export function tokensInHash(hash: string, path: string): { setup?: string; pair?: string } {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const pair = p.get('pair') ?? undefined;
  const setup = path.endsWith('/setup') ? (p.get('token') ?? undefined) : undefined;
  return { ...(pair ? { pair } : {}), ...(setup ? { setup } : {}) };
}
