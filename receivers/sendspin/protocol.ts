// Sendspin messages (the Open Home Foundation's spec, github Sendspin/spec README.md): zod schemas
// for everything a client sends, builders for what the server sends, and the binary frame
// (type byte, int64 BE server time in µs, payload). Clients' extra keys are allowed and dropped:
// `@sendspin/sendspin-js` 3.2 puts `state`, `static_delay_ms`, … inside `client/state.player`.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** Binary message types (spec "Binary Message ID Structure"): player slot 0, artwork 8-11, visualizer 16. */
export const BINARY_AUDIO = 4;
export const BINARY_ARTWORK = 8;
export const BINARY_VISUALIZER = 16;

export const ROLES = ['player@v1', 'controller@v1', 'metadata@v1', 'artwork@v1', 'visualizer@v1'] as const;
export type Role = (typeof ROLES)[number];
export type RoleFamily = 'player' | 'controller' | 'metadata' | 'artwork' | 'visualizer';

export const CONTROLLER_COMMANDS = ['play', 'pause', 'stop', 'next', 'previous', 'volume', 'mute', 'repeat_off', 'repeat_one', 'repeat_all', 'shuffle', 'unshuffle', 'switch'] as const;
export type ControllerCommand = (typeof CONTROLLER_COMMANDS)[number];

const int = z.number().int();
const percent = int.min(0).max(100);
const shortText = z.string().max(256);
const artworkSource = z.enum(['album', 'artist', 'none']);
const imageFormat = z.enum(['jpeg', 'png', 'bmp']);

export const audioFormatSchema = z.object({
  // Any string: a codec we do not know is skipped when negotiating, not a reason to refuse the client.
  codec: z.string().max(32),
  channels: int.min(1).max(32),
  sample_rate: int.min(1).max(1_536_000),
  bit_depth: int.min(1).max(64),
});
export type AudioFormat = z.infer<typeof audioFormatSchema>;

export const playerSupportSchema = z.object({
  supported_formats: z.array(audioFormatSchema).min(1).max(64),
  buffer_capacity: int.min(1),
  supported_commands: z.array(z.string().max(64)).max(32),
});
export type PlayerSupport = z.infer<typeof playerSupportSchema>;

export const artworkSupportSchema = z.object({
  channels: z.array(z.object({ source: artworkSource, format: imageFormat, media_width: int.min(1), media_height: int.min(1) })).min(1).max(4),
});

export const helloSchema = z.object({
  client_id: z.string().min(1).max(256),
  name: shortText,
  device_info: z.object({ product_name: shortText.optional(), manufacturer: shortText.optional(), software_version: z.string().max(1024).optional() }).optional(),
  version: z.literal(PROTOCOL_VERSION),
  supported_roles: z.array(z.string().max(64)).max(32),
  'player@v1_support': playerSupportSchema.optional(),
  'artwork@v1_support': artworkSupportSchema.optional(),
  'visualizer@v1_support': z.object({ buffer_capacity: int.min(1).optional() }).optional(),
});
export type ClientHello = z.infer<typeof helloSchema>;

export const clientTimeSchema = z.object({ client_transmitted: int });

export const clientStateSchema = z.object({
  state: z.enum(['synchronized', 'error', 'external_source']).optional(),
  player: z.object({ volume: percent.optional(), muted: z.boolean().optional() }).optional(),
});
export type ClientState = z.infer<typeof clientStateSchema>;

export const clientCommandSchema = z.object({
  controller: z.object({ command: z.enum(CONTROLLER_COMMANDS), volume: percent.optional(), mute: z.boolean().optional() }).optional(),
});

export const requestFormatSchema = z.object({
  player: z.object({ codec: z.enum(['opus', 'flac', 'pcm']).optional(), channels: int.min(1).max(32).optional(), sample_rate: int.min(1).optional(), bit_depth: int.min(1).max(64).optional() }).optional(),
  artwork: z.object({ channel: int.min(0).max(3), source: artworkSource.optional(), format: imageFormat.optional(), media_width: int.min(1).optional(), media_height: int.min(1).optional() }).optional(),
});

export const goodbyeSchema = z.object({ reason: z.enum(['another_server', 'shutdown', 'restart', 'user_request']) });
export type GoodbyeReason = z.infer<typeof goodbyeSchema>['reason'];

const clientSchemas = {
  'client/hello': helloSchema,
  'client/time': clientTimeSchema,
  'client/state': clientStateSchema,
  'client/command': clientCommandSchema,
  'stream/request-format': requestFormatSchema,
  'client/goodbye': goodbyeSchema,
} as const;

export type ClientMessageType = keyof typeof clientSchemas;
export type ClientMessage = { [K in ClientMessageType]: { type: K; payload: z.infer<(typeof clientSchemas)[K]> } }[ClientMessageType];

export type ParseResult =
  | { ok: true; message: ClientMessage }
  /** `ignored`: an application-specific message (type starting with `_`), valid JSON we do not handle. */
  | { ok: true; ignored: string }
  | { ok: false; reason: 'json' | 'type' | 'payload'; error: string };

const envelope = z.object({ type: z.string().max(128), payload: z.unknown().optional() });

/** One text frame from a client → its message, or why it is refused. */
export function parseClientMessage(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: 'json', error: `malformed JSON: ${(err as Error).message}` };
  }
  const env = envelope.safeParse(json);
  if (!env.success) return { ok: false, reason: 'payload', error: 'a message is an object with a string "type" and a "payload" object' };
  const { type, payload } = env.data;
  if (type.startsWith('_')) return { ok: true, ignored: type };
  if (!(type in clientSchemas)) return { ok: false, reason: 'type', error: `unknown message type ${JSON.stringify(type.slice(0, 40))}` };
  const schema = clientSchemas[type as ClientMessageType];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: 'payload', error: `bad ${type} payload: ${issue ? `${issue.path.join('.') || '(payload)'}: ${issue.message}` : 'invalid'}` };
  }
  return { ok: true, message: { type, payload: parsed.data } as ClientMessage };
}

/**
 * The roles the server activates (spec "Priority and Activation"): per family, the first version
 * listed that we implement. `unknown`: standard roles we do not implement (a newer client).
 */
export function activateRoles(supported: readonly string[]): { active: Role[]; unknown: string[] } {
  const active: Role[] = [];
  const unknown: string[] = [];
  const families = new Set<string>();
  for (const r of supported) {
    const family = r.split('@')[0]!;
    if ((ROLES as readonly string[]).includes(r)) {
      if (!families.has(family)) {
        families.add(family);
        active.push(r as Role);
      }
    } else if (!r.startsWith('_')) unknown.push(r);
  }
  return { active, unknown: unknown.filter((r) => !families.has(r.split('@')[0]!)) };
}

export const hasRole = (active: readonly string[], family: RoleFamily): boolean => active.some((r) => r.startsWith(`${family}@`));

// ---- server → client ----

export interface ServerMessage<T extends string = string, P = unknown> {
  type: T;
  payload: P;
}

const msg = <T extends string, P>(type: T, payload: P): ServerMessage<T, P> => ({ type, payload });

export const serverHello = (p: { server_id: string; name: string; active_roles: string[]; connection_reason: 'discovery' | 'playback' }) =>
  msg('server/hello', { server_id: p.server_id, name: p.name, version: PROTOCOL_VERSION, active_roles: p.active_roles, connection_reason: p.connection_reason });

export const serverTime = (p: { client_transmitted: number; server_received: number; server_transmitted: number }) => msg('server/time', p);

export interface MetadataState {
  timestamp: number;
  title?: string | null;
  artist?: string | null;
  album_artist?: string | null;
  album?: string | null;
  artwork_url?: string | null;
  year?: number | null;
  track?: number | null;
  progress?: { track_progress: number; track_duration: number; playback_speed: number } | null;
  repeat?: 'off' | 'one' | 'all' | null;
  shuffle?: boolean | null;
}

export interface ControllerState {
  supported_commands: ControllerCommand[];
  volume: number;
  muted: boolean;
}

export const serverState = (p: { metadata?: MetadataState; controller?: ControllerState }) => msg('server/state', p);

export const playerCommand = (p: { command: 'volume'; volume: number } | { command: 'mute'; mute: boolean }) => msg('server/command', { player: p });

export const streamStart = (p: { player?: AudioFormat & { codec_header?: string } }) => msg('stream/start', p);
export const streamClear = (roles?: string[]) => msg('stream/clear', roles ? { roles } : {});
export const streamEnd = (roles?: string[]) => msg('stream/end', roles ? { roles } : {});
export const groupUpdate = (p: { playback_state?: 'playing' | 'stopped'; group_id?: string; group_name?: string }) => msg('group/update', p);

// ---- binary ----

/** A binary frame: type byte, int64 BE server time (µs), payload. */
export function encodeBinary(type: number, timestampUs: number | bigint, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(9 + data.length);
  out.writeUInt8(type, 0);
  out.writeBigInt64BE(typeof timestampUs === 'bigint' ? timestampUs : BigInt(Math.round(timestampUs)), 1);
  out.set(data, 9);
  return out;
}

export const encodeAudioChunk = (timestampUs: number | bigint, audio: Uint8Array): Buffer => encodeBinary(BINARY_AUDIO, timestampUs, audio);

export interface BinaryFrame {
  type: number;
  timestampUs: number;
  data: Buffer;
}

export function decodeBinary(buf: Buffer): BinaryFrame {
  if (buf.length < 9) throw new Error(`binary Sendspin message of ${buf.length} bytes: needs at least 9 (type + timestamp)`);
  return { type: buf.readUInt8(0), timestampUs: Number(buf.readBigInt64BE(1)), data: buf.subarray(9) };
}
