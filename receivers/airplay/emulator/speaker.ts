// A software AirPlay speaker (a RAOP receiver, AirTunes v2): RTSP on TCP, three UDP ports per
// session, unencrypted L16 or escape-ALAC audio decoded to PCM and played out at the moment the
// sender's timeline says (its own timing requests give the sender's clock, sync packets the RTP ↔
// sender time mapping), with a jitter buffer, resend requests, and every late or lost packet
// counted. Advertises `_raop._tcp` by mDNS like shairport-sync. It has no loudspeaker: "played"
// audio goes to `events` ('audio'), and each packet's intended play time is kept in `schedule` so
// tests can check that several speakers play together. Used by tests, the demo and
// `npm run receiver -- airplay speaker`. Events: see speaker/events.ts.
import { createHash } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SpeakerConnection, type SpeakerContext } from './speaker/connection.js';
import type { PlayRecord, SpeakerEventMap } from './speaker/events.js';
import { startRaopAdvert, type RaopAdvert } from './speaker/mdns.js';

export type { PlayRecord, PlayedAudio, SpeakerEvent, SpeakerEventMap, SpeakerStats } from './speaker/events.js';

export interface SpeakerEmulatorOptions {
  /** Shown after the `@` of the mDNS instance. */
  name: string;
  /** Address to listen on and advertise. Default '0.0.0.0' (advertises every IPv4 address). */
  host?: string;
  /** Default 5000 (shairport-sync's), or a random port when 5000 is taken; 0 = random. */
  port?: number;
  /** Advertise by mDNS (multicast on the host's network!). Default true. */
  mdns?: boolean;
  /** Ask senders for this password (RTSP Digest; TXT pw=true). */
  password?: string;
  /** Audio-Latency answered at RECORD and added to sync packets with flags 7 (default 11025). */
  latencyFrames?: number;
  /** 12 hex digits; default derived from the name, so a restart keeps its id. */
  id?: string;
}

export interface SpeakerEmulator {
  readonly name: string;
  /** The address senders should use. */
  readonly host: string;
  readonly port: number;
  /** 12 upper-case hex digits, before the `@` of the instance name. */
  readonly id: string;
  /** mDNS instance name, when advertised. */
  readonly instance: string | null;
  readonly events: EventEmitter<SpeakerEventMap>;
  /** Every packet's intended play time, in order (the last 200,000). */
  readonly schedule: readonly PlayRecord[];
  /** The volume in dB the last sender set (0 until one does; −144 is mute). */
  readonly volume: number;
  close(): Promise<void>;
}

const RAOP_PORT = 5000;
const MAX_RECORDS = 200_000;

function advertisedAddresses(host: string): string[] {
  if (host !== '0.0.0.0') return [host];
  const all = Object.values(networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => i!.address);
  return all.length ? all : ['127.0.0.1'];
}

async function listen(server: Server, host: string, port: number | undefined): Promise<void> {
  const attempt = async (p: number): Promise<void> => {
    server.listen(p, host);
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e as Error))]);
  };
  if (port !== undefined) return attempt(port);
  try {
    await attempt(RAOP_PORT);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    await attempt(0);
  }
}

export async function startSpeakerEmulator(opts: SpeakerEmulatorOptions): Promise<SpeakerEmulator> {
  const host = opts.host ?? '0.0.0.0';
  const id = (opts.id ?? createHash('md5').update(`raop\0${opts.name}`).digest('hex').slice(0, 12)).toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(id)) throw new Error(`id must be 12 hex digits, got ${opts.id}`);
  const latencyFrames = opts.latencyFrames ?? 11025;
  if (!Number.isInteger(latencyFrames) || latencyFrames < 0 || latencyFrames > 10 * 44100) throw new Error(`latencyFrames must be 0…441000, got ${latencyFrames}`);

  const events = new EventEmitter<SpeakerEventMap>();
  const schedule: PlayRecord[] = [];
  const connections = new Set<SpeakerConnection>();
  let owner: SpeakerConnection | undefined;
  const ctx: SpeakerContext = {
    password: opts.password,
    latencyFrames,
    volume: 0,
    emit: (e) => {
      (events.emit as (n: string, e: unknown) => boolean)(e.event, e);
      events.emit('event', e);
    },
    audio: (a) => {
      schedule.push({ seq: a.seq, rtptime: a.rtptime, playAtNs: a.playAtNs, senderNs: a.senderNs, outcome: a.outcome });
      if (schedule.length > MAX_RECORDS + 10_000) schedule.splice(0, schedule.length - MAX_RECORDS);
      events.emit('audio', a);
    },
    warn: (line) => events.emit('warning', line),
    claim: (c) => {
      if (owner && owner !== c) return false;
      owner = c;
      return true;
    },
    release: (c) => {
      if (owner === c) owner = undefined;
    },
  };

  const server = createServer((socket) => {
    const c = new SpeakerConnection(socket, ctx);
    connections.add(c);
    socket.once('close', () => connections.delete(c));
  });
  await listen(server, host, opts.port);
  const port = (server.address() as { port: number }).port;
  const addresses = advertisedAddresses(host);

  let advert: RaopAdvert | null = null;
  if (opts.mdns !== false) {
    try {
      advert = await startRaopAdvert({
        name: opts.name, id, port, password: opts.password !== undefined, addresses,
        interface: host === '0.0.0.0' ? undefined : host,
        onWarning: (line) => events.emit('warning', line),
      });
    } catch (err) {
      server.close();
      throw err;
    }
  }

  let closing: Promise<void> | null = null;
  return {
    name: opts.name, host: addresses[0]!, port, id, instance: advert?.instance ?? null, events, schedule,
    get volume() {
      return ctx.volume;
    },
    close() {
      closing ??= (async () => {
        for (const c of connections) c.close();
        await advert?.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
