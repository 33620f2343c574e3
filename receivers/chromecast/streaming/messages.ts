// OFFER and ANSWER of Cast Streaming on `urn:x-cast:com.google.cast.webrtc`, checked with zod as
// Open Screen parses them (cast/streaming/offer_messages.cc Stream::TryParse, AudioStream::TryParse;
// answer_messages.cc Answer::TryParse, IsValid; receiver_message.cc; message_fields.h).
import { z } from 'zod';

export const WEBRTC_NS = 'urn:x-cast:com.google.cast.webrtc';
/** Open Screen cast_streaming_app_ids.h: the audio-only mirroring app, and audio+video as the fallback (OwnTone cast.c does the same). */
export const AUDIO_MIRRORING_APP_ID = '85CDB22F';
export const AV_MIRRORING_APP_ID = '0F5096E8';
/** constants.h kDefaultTargetPlayoutDelay; offers outside (0, 5000] ms get it. */
export const DEFAULT_TARGET_DELAY_MS = 400;
export const MAX_TARGET_DELAY_MS = 5000;
/** constants.h kDefaultCastStreamingPort. */
export const DEFAULT_STREAMING_PORT = 2344;

const hex16 = z.string().regex(/^[0-9a-fA-F]{32}$/);
const timeBase = z.string().regex(/^1\/\d+$/).transform((s) => Number(s.slice(2)));

/** The mandatory fields of every stream (Stream::TryParse); aesKey/aesIvMask are checked apart (kUnencryptedOffer). */
const streamSchema = z.object({
  index: z.number().int(),
  type: z.enum(['audio_source', 'video_source']),
  ssrc: z.number().int().min(0).max(0xffffffff),
  rtpPayloadType: z.number().int().refine((t) => [96, 97, 98, 99, 100, 101, 102, 103, 104, 127].includes(t), 'not a Cast RTP payload type'),
  timeBase: timeBase.refine((n) => n >= 16000 && n <= 90000, 'timeBase out of 1/16000 … 1/90000'),
  codecName: z.string().optional(),
  channels: z.number().int().positive().optional(),
  bitRate: z.number().int().optional(),
  targetDelay: z.number().int().optional(),
  aesKey: z.unknown().optional(),
  aesIvMask: z.unknown().optional(),
  receiverRtcpEventLog: z.boolean().optional(),
  rtpProfile: z.string().optional(),
}).passthrough();

export type OfferStream = z.infer<typeof streamSchema>;

export const offerMessage = z.object({
  type: z.literal('OFFER'),
  seqNum: z.number().int().min(0),
  offer: z.object({
    castMode: z.enum(['mirroring', 'remoting']).default('mirroring'),
    supportedStreams: z.array(z.unknown()),
  }),
});

export interface AcceptedAudio {
  index: number;
  ssrc: number;
  payloadType: number;
  rtpTimebase: number;
  channels: number;
  targetDelayMs: number;
  aesKey: Buffer;
  aesIvMask: Buffer;
}

/**
 * The Opus audio stream a receiver takes from an OFFER, or the reason it refuses it: a stream
 * whose mandatory fields are missing is an error, an unencrypted one too (kUnencryptedOffer);
 * streams of other codecs are skipped (unknown codecs are dropped by Open Screen).
 */
export function selectOpusStream(raw: unknown): { audio: AcceptedAudio } | { error: string } {
  const o = offerMessage.safeParse(raw);
  if (!o.success) return { error: `malformed OFFER: ${o.error.issues[0]?.path.join('.')} ${o.error.issues[0]?.message}` };
  for (const s of o.data.offer.supportedStreams) {
    const p = streamSchema.safeParse(s);
    if (!p.success) return { error: `offer stream has a missing or invalid mandatory field (${p.error.issues[0]?.path.join('.')})` };
    const st = p.data;
    if (!hex16.safeParse(st.aesKey).success || !hex16.safeParse(st.aesIvMask).success) return { error: 'offer stream must have both a valid aesKey and aesIvMask (unencrypted offers are refused)' };
    if (st.type !== 'audio_source' || st.codecName?.toLowerCase() !== 'opus') continue;
    const delay = st.targetDelay !== undefined && st.targetDelay > 0 && st.targetDelay <= MAX_TARGET_DELAY_MS ? st.targetDelay : DEFAULT_TARGET_DELAY_MS;
    return { audio: { index: st.index, ssrc: st.ssrc, payloadType: st.rtpPayloadType, rtpTimebase: st.timeBase, channels: st.channels ?? 2, targetDelayMs: delay, aesKey: Buffer.from(st.aesKey as string, 'hex'), aesIvMask: Buffer.from(st.aesIvMask as string, 'hex') } };
  }
  return { error: 'the OFFER has no Opus audio stream' };
}

const answerBody = z.object({
  udpPort: z.number().int().min(1).max(65535),
  sendIndexes: z.array(z.number().int().min(0)).min(1),
  ssrcs: z.array(z.number().int().min(0).max(0xffffffff)).min(1),
  constraints: z.object({ audio: z.object({ maxDelay: z.number().optional(), maxSampleRate: z.number().optional(), maxChannels: z.number().optional() }).passthrough().optional() }).passthrough().optional(),
}).passthrough();

export type AnswerBody = z.infer<typeof answerBody>;

const answerMessage = z.object({
  type: z.literal('ANSWER'),
  seqNum: z.number().int(),
  result: z.string().optional(),
  answer: z.unknown().optional(),
  error: z.object({ code: z.number().optional(), description: z.string().optional() }).passthrough().optional(),
});

/** The ANSWER to our OFFER `seqNum`, or a readable Error (refused, malformed, no udpPort). */
export function parseAnswer(raw: unknown, seqNum: number): AnswerBody {
  const m = answerMessage.safeParse(raw);
  if (!m.success) throw new Error(`malformed ANSWER (${m.error.issues[0]?.path.join('.')}: ${m.error.issues[0]?.message})`);
  if (m.data.seqNum !== seqNum) throw new Error(`ANSWER for OFFER ${m.data.seqNum}, not ${seqNum}`);
  if (m.data.result !== 'ok') throw new Error(`the device refused the OFFER: ${m.data.error?.description ?? m.data.result ?? 'no result'}`);
  const a = answerBody.safeParse(m.data.answer);
  if (!a.success) throw new Error(`malformed ANSWER: ${a.error.issues.map((i) => `${i.path.join('.') || 'answer'} ${i.message}`).join('; ')}`);
  return a.data;
}

export interface OfferParams {
  seqNum: number;
  ssrc: number;
  targetDelayMs: number;
  aesKeyHex: string;
  aesIvMaskHex: string;
  bitRate?: number;
}

/**
 * Our OFFER: Opus 48 kHz stereo (PT 127, the AndroidTV hack senders use with devices), and the
 * dummy VP8 stream some devices need or they drop the connection (OwnTone cast.c, a11ab808, #1092).
 */
export function buildOffer(p: OfferParams): Record<string, unknown> {
  const common = { rtpProfile: 'cast', targetDelay: p.targetDelayMs, aesKey: p.aesKeyHex, aesIvMask: p.aesIvMaskHex, receiverRtcpEventLog: false };
  return {
    type: 'OFFER',
    seqNum: p.seqNum,
    offer: {
      castMode: 'mirroring',
      supportedStreams: [
        { index: 0, type: 'audio_source', codecName: 'opus', rtpPayloadType: 127, ssrc: p.ssrc, bitRate: p.bitRate ?? 128000, sampleRate: 48000, timeBase: '1/48000', channels: 2, ...common },
        { index: 1, type: 'video_source', codecName: 'vp8', rtpPayloadType: 96, ssrc: (p.ssrc + 1) >>> 0, timeBase: '1/90000', maxFrameRate: '30000/1000', maxBitRate: 5000000, resolutions: [{ width: 1280, height: 720 }], ...common },
      ],
    },
  };
}
