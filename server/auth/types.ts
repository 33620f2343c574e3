// Who is asking: the account and the device it signed in from. Shared by the HTTP and Socket.IO edges.
export const roles = ['owner', 'member', 'guest'] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { guest: 0, member: 1, owner: 2 };
/** Whether `role` may do what needs at least `needed`. */
export const atLeast = (role: Role, needed: Role): boolean => rank[role] >= rank[needed];

export interface User {
  id: number;
  name: string;
  role: Role;
  hasPassword: boolean;
  createdAt: number;
  /** Libraries this user sees; null: all. */
  libraries: string[] | null;
  /** Receivers a guest may play to (ids); ignored for members and the owner. */
  receivers: string[];
  /** Live transcodes this user's own player may run at once; null: the server's default for members. */
  maxTranscodes?: number | null;
  /** From outside (remote access), media above this is transcoded down to it; null: the server's default. */
  remoteBitrateKbps?: number | null;
}

export interface Device {
  id: number;
  userId: number;
  userName: string;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  /** Signed in from outside (remote access): signed out after the configured idle days. */
  remote?: boolean;
}

export interface Session {
  user: User;
  /** null in lan-open mode (nobody signed in: the LAN is trusted). */
  device: Device | null;
}

export class AuthError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}
