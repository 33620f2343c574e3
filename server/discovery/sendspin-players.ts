// The Sendspin server in the running server: its own port (8927, /sendspin) for players on the
// network, the main HTTP server's /sendspin for the remote's "Play on this device", players in the
// registry (gone when their connection goes), players that advertise `_sendspin._tcp` dialed, and
// a player's own buttons (controller role) acting on what it plays: the group it is in, else itself.
import type { IncomingMessage, Server } from 'node:http';
import { hostname } from 'node:os';
import { connectUrl, dialedIn, name as kind, SendspinServer, type SendspinCommand } from '../../receivers/sendspin/index.js';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { PlaybackService } from '../playback/service.js';
import { refusalLog } from '../api/refusal-log.js';
import type { Logger } from '../util/log.js';
import type { ReceiverRegistry } from './registry.js';

export interface SendspinPlayersDeps {
  registry: ReceiverRegistry;
  log: Logger;
  /** Stable across restarts: the spec's server_id. */
  serverId: string;
}

export interface SendspinPlayers {
  /** The receiver kind whose members join streams through `server`. */
  readonly kind: string;
  readonly server: SendspinServer;
  /** Listens on the Sendspin port; a port in use is logged, not fatal (the remote's path still works). */
  listen(host: string, port: number): Promise<number | undefined>;
  /** Takes /sendspin upgrades on the main server from pages of this server's own origins, with a session. */
  attach(http: Server, allow: { origin: (origin: string | undefined) => boolean; session: (req: IncomingMessage) => boolean; host: (req: IncomingMessage) => boolean }): void;
  /** Routes a player's controller commands to sessions. */
  control(playback: PlaybackService): void;
  close(): Promise<void>;
}

/** What the Sendspin server role logs under. */
const LOG_NAME = 'sendspin';

export function startSendspinPlayers(deps: SendspinPlayersDeps): SendspinPlayers {
  const { registry, log } = deps;
  const refused = refusalLog(log);
  const server = new SendspinServer({
    id: deps.serverId,
    name: `homecast (${hostname()})`,
    log: (line) => log.info(LOG_NAME, line as Record<string, string | number | boolean | null>),
    refused: (line) => refused(LOG_NAME, line),
  });
  server.on('player', (d) => registry.seen(d));
  server.on('playerGone', (id, reason) => registry.markOffline(id, reason));
  // Players that wait for a server (`_sendspin._tcp`, or a config entry): dial them.
  const dial = (d: ReceiverDescriptor) => {
    if (d.kind !== kind || dialedIn(d) || !d.online) return;
    server.connectTo(connectUrl(d)).catch((e: Error) => log.warn('sendspin player did not answer', { id: d.id, reason: e.message }));
  };
  registry.on('changed', dial);
  for (const d of registry.list()) dial(d);

  return {
    kind,
    server,
    async listen(host, port) {
      try {
        return (await server.listen({ host, port })).port;
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        log.warn('sendspin port not available: players on the network cannot connect (the remote\'s own player still can)', { port, reason: err.code ?? err.message });
        return undefined;
      }
    },
    attach(http, allow) {
      server.attach(http, { allowOrigin: allow.origin, allowRequest: allow.session, allowHost: allow.host });
    },
    control(playback) {
      server.on('command', (c) => void command(playback, c).catch((e: Error) => log.info('sendspin command refused', { player: c.playerId, command: c.command, reason: e.message })));
    },
    close: () => server.close(),
  };

  /** The session a player's buttons act on: a playing group it is in, else its own. */
  function target(playback: PlaybackService, playerId: string): string {
    const active = playback.snapshots().find((s) => s.state !== 'idle' && registry.get(s.receiverId)?.members?.includes(playerId));
    return active?.receiverId ?? playerId;
  }

  async function command(playback: PlaybackService, c: SendspinCommand): Promise<void> {
    const s = playback.session(target(playback, c.playerId));
    switch (c.command) {
      case 'play': return void (await s.resume());
      case 'pause': return void (await s.pause());
      case 'stop': return void (await s.stop());
      case 'next': return void (await s.next());
      case 'previous': return void (await s.previous());
      case 'volume': if (c.params.volume !== undefined) await s.setVolume(c.params.volume / 100); return;
      case 'mute': if (c.params.mute !== undefined) await s.setMuted(c.params.mute); return;
      case 'shuffle': return void (await s.setShuffle(true));
      case 'unshuffle': return void (await s.setShuffle(false));
      case 'repeat_off': return void (await s.setRepeat('off'));
      case 'repeat_one': return void (await s.setRepeat('one'));
      case 'repeat_all': return void (await s.setRepeat('all'));
      default: return;
    }
  }
}
