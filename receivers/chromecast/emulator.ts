// A software Chromecast: speaks CASTV2 over TLS (connection, heartbeat, receiver, media), runs the
// Default Media Receiver, advertises itself by mDNS, and really plays what it is sent: it fetches
// the URL, probes it against the model it pretends to be, refuses what that model cannot play,
// and consumes the stream at real-time pace while reporting position through MEDIA_STATUS.
// Used by tests, the demo and `npm run receiver -- chromecast`. Events: see emulator/events.ts.
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import type { Profile } from '../types.js';
import { selfSignedCert } from './emulator/cert.js';
import { EmulatedDevice, type EmulatorEventMap } from './emulator/device.js';
import { startAdvert, type Advert } from './emulator/mdns-advert.js';
import { CastServer } from './emulator/server.js';
import { profileForModel } from './profile.js';
import type { StreamingKnobs } from './emulator/streaming/session.js';
import { Writable } from 'node:stream';

export type { EmulatorEvent, EventName, ProbedStreams } from './emulator/events.js';
export type { EmulatorEventMap, ReceivedCommand } from './emulator/device.js';

export interface CastEmulatorOptions {
  /** Friendly name (TXT fn). */
  name: string;
  /** Model name (TXT md); picks the media profile. Default 'Chromecast'. */
  model?: string;
  /** Address to listen on and advertise. Default '0.0.0.0' (advertises every IPv4 address). */
  host?: string;
  /** Default 8009, or a random port when 8009 is taken; 0 = random. */
  port?: number;
  /** TXT ca; default 4101 for video models, 2052 for speakers (values real devices send). */
  ca?: number;
  /** 32 hex digits; default derived from name and model, so a restart keeps its id. */
  id?: string;
  /** Advertise by mDNS (multicast on the host's network!). Default true. */
  mdns?: boolean;
  /** Overrides the model's profile. */
  profile?: Profile;
  ffprobePath?: string;
  probeTimeoutMs?: number;
  /** Runs the Cast Streaming mirroring apps (default true); false: LAUNCH of them fails (LAUNCH_ERROR). */
  mirroring?: boolean;
  /** Test knob: answers OFFERs with a broken ANSWER. */
  badAnswer?: 'no-udp-port' | 'malformed';
  /** Cast Streaming knobs for tests: clock skew, one-way delay and jitter, loss, output latency. */
  streaming?: StreamingKnobs;
  /** Where Cast Streaming audio is played: s16le 44.1 kHz stereo in shairport-sync's stdout convention. Default: discarded. */
  pcmOut?: NodeJS.WritableStream;
  ffmpegPath?: string;
}

export interface CastEmulator {
  readonly port: number;
  /** The address senders should use. */
  readonly host: string;
  readonly id: string;
  readonly name: string;
  readonly model: string;
  /** mDNS instance name, when advertised. */
  readonly instance: string | null;
  readonly events: EventEmitter<EmulatorEventMap>;
  close(): Promise<void>;
}

const CAST_PORT = 8009;

function advertisedAddresses(host: string): string[] {
  if (host !== '0.0.0.0') return [host];
  const all = Object.values(networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => i!.address);
  return all.length ? all : ['127.0.0.1'];
}

async function listen(host: string, port: number | undefined, tls: { key: string; cert: string }): Promise<CastServer> {
  if (port !== undefined) return CastServer.listen({ host, port, ...tls });
  try {
    return await CastServer.listen({ host, port: CAST_PORT, ...tls });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return CastServer.listen({ host, port: 0, ...tls });
  }
}

export async function startCastEmulator(opts: CastEmulatorOptions): Promise<CastEmulator> {
  const model = opts.model ?? 'Chromecast';
  const host = opts.host ?? '0.0.0.0';
  // A model the table does not know is a speaker when its `ca` has no video out (bit 0x01).
  const profile = opts.profile ?? profileForModel(model, { audioOnlyHint: opts.ca !== undefined && (opts.ca & 1) === 0 });
  const id = (opts.id ?? createHash('md5').update(`${opts.name}\0${model}`).digest('hex')).replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`id must be 32 hex digits (a UUID), got ${opts.id}`);

  let advert: Advert | null = null;
  const device = new EmulatedDevice(
    { name: opts.name, model, id, profile },
    { ffprobePath: opts.ffprobePath ?? 'ffprobe', probeTimeoutMs: opts.probeTimeoutMs ?? 15_000 },
    (busy, text) => advert?.setStatus(busy, text),
    {
      mirroring: opts.mirroring ?? true, knobs: opts.streaming ?? {}, host: host === '0.0.0.0' ? '0.0.0.0' : host,
      out: opts.pcmOut ?? new Writable({ write: (_c, _e, cb) => cb() }),
      ...(opts.ffmpegPath ? { ffmpegPath: opts.ffmpegPath } : {}),
      ...(opts.badAnswer ? { badAnswer: opts.badAnswer } : {}),
    },
  );
  const server = await listen(host, opts.port, await selfSignedCert(id));
  device.attach(server);
  const addresses = advertisedAddresses(host);
  if (opts.mdns !== false) {
    try {
      advert = await startAdvert({
        name: opts.name, model, id, ca: opts.ca ?? (profile.audioOnly ? 2052 : 4101), port: server.port, addresses,
        interface: host === '0.0.0.0' ? undefined : host,
        onWarning: (line) => device.events.emit('warning', line),
      });
    } catch (err) {
      await server.close();
      throw err;
    }
  }

  let closing: Promise<void> | null = null;
  return {
    port: server.port, host: addresses[0]!, id, name: opts.name, model, instance: advert?.instance ?? null,
    events: device.events,
    close() {
      closing ??= (async () => {
        device.close();
        await advert?.close();
        await server.close();
      })();
      return closing;
    },
  };
}
