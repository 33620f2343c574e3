// "This device": each page of the remote may register itself as a receiver over its Socket.IO
// connection (ui/src/data/browser-receiver.ts). The receiver is its signed-in device's
// (`browser:<device id>`; in lan-open mode, where nobody signs in, the page's own id) and only
// that device's connections see it, its session and its commands. The server keeps its queue as
// for any receiver; commands go to the page's newest connection; when that closes, the receiver
// goes offline (its queue stays) until the page registers again.
import type { Socket } from 'socket.io';
import type { ReceiverRegistry } from '../discovery/registry.js';
import type { Session } from '../auth/types.js';
import { browserProfile, type BrowserSupport } from '../../receivers/browser/profile.js';
import { BrowserReceiver, type BrowserCommand, type BrowserLink, type BrowserStatus } from '../../receivers/browser/receiver.js';
import type { Profile, ReceiverDescriptor } from '../../receivers/types.js';

export const BROWSER_NAME = 'This device';
// Its media URLs are made for loopback (host, discard port): the page plays them from its own origin.
const COMMAND_TIMEOUT_MS = 15_000;

interface Entry {
  socket: Socket;
  /** The Socket.IO room of the connections that see it. */
  room: string;
  profile: Profile;
  /** The browser's languages, most wanted first: the audio a video starts in on this page. */
  languages: readonly string[];
  receivers: Set<BrowserReceiver>;
}

export const isBrowserId = (id: string): boolean => id.startsWith('browser:');

export class BrowserPlayers {
  private entries = new Map<string, Entry>();

  constructor(private registry: ReceiverRegistry) {}

  register(socket: Socket, who: Session, pageId: string, support: BrowserSupport, languages: readonly string[] = []): { id: string; name: string } {
    const id = who.device ? `browser:${who.device.id}` : `browser:${pageId}`;
    const room = who.device ? `device:${who.device.id}` : `browser-page:${pageId}`;
    if (!who.device) void socket.join(room);
    const old = this.entries.get(id);
    this.entries.set(id, { socket, room, profile: browserProfile(support, BROWSER_NAME), languages, receivers: old?.receivers ?? new Set() });
    socket.once('disconnect', () => {
      if (this.entries.get(id)?.socket !== socket) return;
      this.registry.markOffline(id, 'the page was closed');
      for (const r of this.entries.get(id)?.receivers ?? []) r.lost('the page was closed');
    });
    const d: ReceiverDescriptor = { id, kind: 'browser', name: BROWSER_NAME, model: null, host: '127.0.0.1', port: 9, type: 'tv', online: true, lastSeen: Date.now(), source: 'browser' };
    this.registry.put(d);
    return { id, name: BROWSER_NAME };
  }

  /** The page's report on what its element does; from another page, or an old connection, ignored. */
  report(socket: Socket, id: string, s: BrowserStatus): void {
    const e = this.entries.get(id);
    if (!e || e.socket !== socket) return;
    for (const r of e.receivers) r.report(s);
  }

  /** Whether a connection may see receiver `id` (any receiver but another device's page). */
  visibleTo(id: string, socket: Socket): boolean {
    if (!isBrowserId(id)) return true;
    const e = this.entries.get(id);
    return e !== undefined && socket.rooms.has(e.room);
  }

  /** The room that hears about receiver `id`, when only some connections may. */
  roomOf(id: string): string | undefined {
    if (!isBrowserId(id)) return undefined;
    return this.entries.get(id)?.room ?? 'browser:nobody';
  }

  profile(id: string): Profile {
    return this.entries.get(id)?.profile ?? browserProfile({ containers: [], video: [], audio: [] }, BROWSER_NAME);
  }

  languages(id: string): readonly string[] {
    return this.entries.get(id)?.languages ?? [];
  }

  connect(d: ReceiverDescriptor): BrowserReceiver {
    const link = (): BrowserLink | undefined => {
      const e = this.entries.get(d.id);
      if (!e?.socket.connected) return undefined;
      return {
        send: async (cmd: BrowserCommand) => {
          const ack = (await e.socket.timeout(COMMAND_TIMEOUT_MS).emitWithAck('device:command', cmd).catch(() => ({ ok: false, error: 'this device did not answer' }))) as { ok?: boolean; error?: string };
          if (!ack?.ok) throw new Error(String(ack?.error ?? 'this device refused it'));
        },
      };
    };
    const r = new BrowserReceiver(d.id, link, (x) => this.entries.get(d.id)?.receivers.delete(x));
    this.entries.get(d.id)?.receivers.add(r);
    return r;
  }
}
