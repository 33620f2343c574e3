// The emulated device: its state, and the routing of each incoming message to its channel.
// A message travels only on an open virtual connection (CONNECT first), as on a real device;
// tp.connection itself is always heard.
import { EventEmitter } from 'node:events';
import type { Profile } from '../../types.js';
import { handleConnection } from './channels/connection.js';
import { handleHeartbeat } from './channels/heartbeat.js';
import { MediaChannel } from './channels/media.js';
import { handleReceiver, receiverStatus, stopApp, type ReceiverHooks } from './channels/receiver.js';
import { VirtualConnections } from './connections.js';
import { DEFAULT_MEDIA_RECEIVER, NS, PLATFORM_ID, type ChannelContext, type DeviceState } from './context.js';
import type { EmulatorEvent, EventName } from './events.js';
import type { PlaybackOptions } from './player.js';
import { WebrtcChannel, type StreamingOptions } from './channels/webrtc.js';
import { AUDIO_MIRRORING_APP_ID, AV_MIRRORING_APP_ID, WEBRTC_NS } from '../streaming/messages.js';
import type { CastServer, Incoming } from './server.js';

/** A message as received, for tests that check what a sender really sent. */
export interface ReceivedCommand {
  peer: string;
  sourceId: string;
  destinationId: string;
  namespace: string;
  data: Record<string, unknown> | null;
}

interface ExtraEvents {
  /** Every EmulatorEvent, in order. */
  event: [EmulatorEvent];
  command: [ReceivedCommand];
  warning: [string];
}

/** Each EmulatorEvent under its own name, plus the extras. */
export type EmulatorEventMap = {
  [K in EventName | keyof ExtraEvents]: K extends keyof ExtraEvents ? ExtraEvents[K] : [Extract<EmulatorEvent, { event: K }>];
};

export interface DeviceIdentity {
  name: string;
  model: string;
  id: string;
  profile: Profile;
}

export class EmulatedDevice {
  readonly events = new EventEmitter<EmulatorEventMap>();
  private readonly connections = new VirtualConnections();
  private readonly state: DeviceState = { volume: { level: 1, muted: false }, app: null };
  private readonly ctx: ChannelContext;
  private readonly media: MediaChannel;
  private readonly hooks: ReceiverHooks;
  private readonly webrtc: WebrtcChannel;

  /** `streaming`: the Cast Streaming receiver (the mirroring apps); `mirroring: false` makes LAUNCH of them fail, as on a device without them. */
  constructor(identity: DeviceIdentity, playback: PlaybackOptions, onAppChanged: (busy: boolean, text: string) => void, streaming: StreamingOptions & { mirroring: boolean }) {
    const events = this.events;
    this.ctx = {
      ...identity,
      connections: this.connections,
      state: this.state,
      reply: (to, payload) => to.peer.send(to.destinationId, to.sourceId, to.namespace, payload),
      broadcast: (sourceId, namespace, payload) => {
        for (const peer of this.connections.peersOf(sourceId)) peer.send(sourceId, '*', namespace, payload);
      },
      emit: (ev) => {
        events.emit('event', ev);
        // Typed per name by the map; one call for all names needs the loose signature.
        (events.emit as unknown as (name: string, ev: EmulatorEvent) => boolean).call(events, ev.event, ev);
      },
      warn: (line) => events.emit('warning', line),
    };
    const broadcastReceiver = () => this.ctx.broadcast(PLATFORM_ID, NS.receiver, { type: 'RECEIVER_STATUS', requestId: 0, status: receiverStatus(this.ctx) });
    this.media = new MediaChannel(this.ctx, playback, broadcastReceiver);
    this.webrtc = new WebrtcChannel(this.ctx, streaming);
    this.hooks = {
      appStopping: () => {
        this.media.stopForApp();
        this.webrtc.stop();
      },
      launchable: (appId) => streaming.mirroring && (appId === AUDIO_MIRRORING_APP_ID || appId === AV_MIRRORING_APP_ID),
      volumeChanged: () => this.media.volumeChanged(),
      appChanged: () => onAppChanged(this.state.app !== null, this.state.app ? (this.state.app.appId === DEFAULT_MEDIA_RECEIVER ? 'Default Media Receiver' : 'Chrome Mirroring') : ''),
    };
  }

  attach(server: CastServer): void {
    server.on('message', (msg) => this.route(msg));
    server.on('disconnect', (peer) => this.connections.dropPeer(peer));
    server.on('warning', (line) => this.ctx.warn(line));
  }

  /** Shutdown: stop the app quietly (no one is left to tell). */
  close(): void {
    this.media.close();
    this.webrtc.stop();
    if (this.state.app) stopApp(this.ctx, { ...this.hooks, appStopping: () => undefined });
  }

  private route(msg: Incoming): void {
    const { peer, sourceId, destinationId, namespace, data } = msg;
    this.events.emit('command', { peer: peer.id, sourceId, destinationId, namespace, data });
    if (namespace === NS.connection) return handleConnection(msg, this.ctx);
    if (!this.connections.has(peer, sourceId, destinationId)) {
      this.ctx.warn(`ignored ${namespace} ${String(data?.type)} from ${sourceId} to ${destinationId} on ${peer.id}: no CONNECT first (open on this socket: ${this.connections.describe(peer)})`);
      return;
    }
    if (data === null) return; // deviceauth (binary) or not JSON: real senders we serve never need an answer
    if (namespace === NS.heartbeat) return handleHeartbeat(msg, this.ctx);
    if (namespace === NS.receiver && destinationId === PLATFORM_ID) return handleReceiver(msg, this.ctx, this.hooks);
    if (namespace === NS.media && destinationId === this.state.app?.transportId) return this.media.handle(msg);
    if (namespace === WEBRTC_NS && destinationId === this.state.app?.transportId && this.state.app.appId !== DEFAULT_MEDIA_RECEIVER) {
      return void this.webrtc.handle(msg).catch((e: Error) => this.ctx.warn(`OFFER failed: ${e.message}`));
    }
    this.ctx.warn(`ignored ${namespace} ${String(data.type)} to ${destinationId}`);
  }
}
