// What every channel handler shares: the device's identity and state, the virtual connections,
// and the three ways to speak: reply to one sender, broadcast to all, report an event.
import type { Profile } from '../../types.js';
import type { VirtualConnections } from './connections.js';
import type { EmulatorEvent } from './events.js';
import type { Incoming } from './server.js';
import { MEDIA_APP_ID, NS, PLATFORM_ID } from '../protocol.js';

export { NS, PLATFORM_ID, MEDIA_APP_ID as DEFAULT_MEDIA_RECEIVER };

export interface RunningApp {
  appId: string;
  sessionId: string;
  /** Senders address the app by this id (= sessionId on our device). */
  transportId: string;
}

export interface DeviceState {
  volume: { level: number; muted: boolean };
  app: RunningApp | null;
}

export interface ChannelContext {
  readonly name: string;
  readonly model: string;
  readonly id: string;
  readonly profile: Profile;
  readonly connections: VirtualConnections;
  readonly state: DeviceState;
  /** Answers the sender of `to` on its namespace, from the endpoint it addressed. */
  reply(to: Incoming, payload: object): void;
  /** Sends to `*` on every socket connected to `sourceId`. */
  broadcast(sourceId: string, namespace: string, payload: object): void;
  emit(event: EmulatorEvent): void;
  warn(line: string): void;
}
