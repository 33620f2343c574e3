// The transcode decision: given what an item is and what a receiver plays, play it as is, re-wrap
// it, re-encode its audio, or re-encode everything — and say why, in words the remote shows.
// Pure: no I/O, no clock. The target speaks transcode-params' vocabulary (what the signer puts in
// the URL: c, vc, ac, br); the size/rate/channel hints beyond that are for the media side to honour.
import type { AudioCodecSupport, Profile, VideoCodecSupport } from '../../receivers/types.js';
import type { AudioCodec, Container, VideoCodec } from '../media/transcode-params.js';
import { codecLabel, containerLabel, hdrLabel, kHz, levelLabel, mbps, modeLabel } from './labels.js';
import type { MediaAudio, MediaInfo, MediaVideo } from './media-info.js';

export type DecisionKind = 'direct' | 'remux' | 'audio-transcode' | 'transcode' | 'unplayable';

export interface DecisionTarget {
  container: Container;
  videoCodec?: VideoCodec;
  audioCodec?: AudioCodec;
  /** Total bits per second; only when the receiver has a limit the source exceeds. */
  bitrate?: number;
  /** Video bounds: long edge ≤ maxWidth, short edge ≤ maxHeight (scale down, keep the aspect). */
  maxWidth?: number;
  maxHeight?: number;
  maxFrameRate?: number;
  /** Audio output limits when the source exceeds the receiver's. */
  sampleRate?: number;
  bitDepth?: number;
  channels?: number;
  /** The source's audio stream to carry, when not the first (0-based among its audio streams). */
  audioStream?: number;
}

export interface Decision {
  kind: DecisionKind;
  /** Why it is not played as is; empty for direct play. */
  reasons: string[];
  target?: DecisionTarget;
}

type Mode = { width: number; height: number; frameRate: number };

// What ffmpeg (5.1 here) copies into our output containers and Cast plays there. FLAC in MP4 is
// "experimental" in ffmpeg 5.1 (refused without -strict), so FLAC goes to FLAC/Ogg only.
const COPY_INTO: Record<string, Container[]> = {
  aac: ['mp4', 'mpegts', 'adts', 'hls'],
  mp3: ['mp4', 'mpegts', 'mp3', 'hls'],
  opus: ['webm', 'ogg'],
  vorbis: ['webm', 'ogg'],
  flac: ['flac', 'ogg'],
};
// Audio-only outputs, best first: the only ones that never carry video (an MP4 from a video would).
const AUDIO_OUT: Container[] = ['flac', 'ogg', 'adts', 'mp3', 'wav'];

const FPS_SLACK = 0.5; // 29.97 is "30", and ffprobe's average rate wobbles
const HIGHEST = Number.POSITIVE_INFINITY;

function fits(v: MediaVideo, m: Mode): boolean {
  const long = Math.max(v.width ?? 0, v.height ?? 0);
  const short = Math.min(v.width ?? 0, v.height ?? 0);
  return long <= m.width && short <= m.height && (v.frameRate === null || v.frameRate <= m.frameRate + FPS_SLACK);
}

function modesOf(s: VideoCodecSupport): Mode[] {
  if (s.modes?.length) return s.modes;
  if (s.maxWidth === undefined && s.maxHeight === undefined && s.maxFrameRate === undefined) return [];
  return [{ width: s.maxWidth ?? HIGHEST, height: s.maxHeight ?? HIGHEST, frameRate: s.maxFrameRate ?? HIGHEST }];
}

function sizeProblem(v: MediaVideo, s: VideoCodecSupport, name: string): string | null {
  const modes = modesOf(s);
  if (!modes.length || v.width === null || v.height === null || modes.some((m) => fits(v, m))) return null;
  // Name the modes the size fits (the rate is the problem), else all of them.
  const sized = modes.filter((m) => fits({ ...v, frameRate: null }, m));
  const named = (sized.length ? sized : modes).map(modeLabel).join(' / ');
  const rate = v.frameRate === null ? '' : ` at ${Math.round(v.frameRate)} fps`;
  return `${v.width}x${v.height}${rate} above ${name}'s ${named}`;
}

function videoProblems(v: MediaVideo, p: Profile): string[] {
  const label = codecLabel(v.codec);
  const s = p.videoCodecs.find((c) => c.codec === v.codec);
  if (!s) return [`${label} not supported by ${p.name}`];
  const out: string[] = [];
  if (s.profiles && v.profile && !s.profiles.some((x) => x.toLowerCase() === v.profile!.toLowerCase())) out.push(`${label} profile ${v.profile} not supported by ${p.name}`);
  // VP9 levels are usually unknown to ffprobe (-99): only a real level counts.
  if (s.maxLevel !== undefined && v.level !== null && v.level > 0 && v.level > s.maxLevel) {
    out.push(`${label} level ${levelLabel(v.codec, v.level)} above ${p.name}'s ${levelLabel(v.codec, s.maxLevel)}`);
  }
  if (s.maxBitDepth !== undefined && v.bitDepth !== null && v.bitDepth > s.maxBitDepth) out.push(`${v.bitDepth}-bit video above ${p.name}'s ${s.maxBitDepth}-bit`);
  // HLG is made to look right on SDR screens (ITU-R BT.2100), so only HDR10 and Dolby Vision need the device's HDR.
  if (v.hdr && v.hdr !== 'hlg' && !(s.hdr ?? []).includes(v.hdr)) out.push(`${hdrLabel(v.hdr)} not supported by ${p.name} (needs tone mapping)`);
  const size = sizeProblem(v, s, p.name);
  if (size) out.push(size);
  return out;
}

function audioProblems(a: MediaAudio, p: Profile): string[] {
  const s = p.audioCodecs.find((c) => c.codec === a.codec);
  if (!s) return [`${codecLabel(a.codec)} audio not supported by ${p.name}`];
  const out: string[] = [];
  if (s.maxSampleRate !== undefined && a.sampleRate !== null && a.sampleRate > s.maxSampleRate) out.push(`${kHz(a.sampleRate)} audio above ${p.name}'s ${kHz(s.maxSampleRate)}`);
  if (s.maxBitDepth !== undefined && a.bitDepth !== null && a.bitDepth > s.maxBitDepth) out.push(`${a.bitDepth}-bit audio above ${p.name}'s ${s.maxBitDepth}-bit`);
  if (s.maxChannels !== undefined && a.channels !== null && a.channels > s.maxChannels) out.push(`${a.channels} audio channels above ${p.name}'s ${s.maxChannels}`);
  return out;
}

/** The highest rate of the source's family (44.1 or 48 kHz multiples) within the limit: 192 k → 96 k, 176.4 k → 88.2 k. */
function rateWithin(src: number, max: number): number {
  let r = src % 44_100 === 0 ? 44_100 : 48_000;
  while (r * 2 <= max) r *= 2;
  return Math.min(r, max);
}

/** Output limits for a re-encode into a codec the profile knows. */
function audioLimits(a: MediaAudio, s: AudioCodecSupport | undefined, stereo: boolean): Partial<DecisionTarget> {
  const t: Partial<DecisionTarget> = {};
  if (s?.maxSampleRate !== undefined && a.sampleRate !== null && a.sampleRate > s.maxSampleRate) t.sampleRate = rateWithin(a.sampleRate, s.maxSampleRate);
  if (s?.maxBitDepth !== undefined && a.bitDepth !== null && a.bitDepth > s.maxBitDepth) t.bitDepth = s.maxBitDepth;
  const maxCh = stereo ? 2 : s?.maxChannels;
  if (maxCh !== undefined && a.channels !== null && a.channels > maxCh) t.channels = maxCh;
  return t;
}

const supports = (p: Profile, codec: string): AudioCodecSupport | undefined => p.audioCodecs.find((c) => c.codec === codec);

/** Re-encode audio for an audio-only output: lossless stays lossless (FLAC) when the device takes it, else AAC, else MP3. */
function audioTranscodeTarget(a: MediaAudio, p: Profile): DecisionTarget | undefined {
  const stereo = p.audioOnly; // speakers: stereo at most
  const choices: [AudioCodec, Container][] = a.lossless ? [['flac', 'flac'], ['aac', 'adts'], ['mp3', 'mp3']] : [['aac', 'adts'], ['mp3', 'mp3']];
  for (const [codec, container] of choices) {
    const s = supports(p, codec);
    if (s && p.containers.includes(container)) return { container, audioCodec: codec, ...audioLimits(a, s, stereo) };
  }
  return undefined;
}

/** A wrapper the audio goes into untouched: our WAV output is 16-bit, so only ≤ 16-bit PCM re-wraps. */
function audioRewrap(a: MediaAudio, p: Profile): DecisionTarget | undefined {
  if (a.codec === 'pcm') return (a.bitDepth ?? 16) <= 16 && p.containers.includes('wav') ? { container: 'wav', audioCodec: 'pcm_s16le' } : undefined;
  const c = AUDIO_OUT.find((x) => COPY_INTO[a.codec]?.includes(x) && p.containers.includes(x));
  return c ? { container: c, audioCodec: 'copy' } : undefined;
}

function decideAudio(m: MediaInfo, a: MediaAudio, p: Profile, fromVideo: boolean): Decision {
  const reasons = fromVideo ? [`${p.name} is audio-only: playing just the audio of this video`] : [];
  const problems = audioProblems(a, p);
  const containerOk = !fromVideo && m.container !== null && p.containers.includes(m.container);
  if (!problems.length && containerOk) return { kind: 'direct', reasons: [] };
  if (!fromVideo && !containerOk) reasons.push(`${containerLabel(m.container)} container not supported by ${p.name}`);
  const rewrap = problems.length ? undefined : audioRewrap(a, p);
  if (rewrap) return { kind: 'remux', reasons, target: rewrap };
  reasons.push(...problems);
  const target = audioTranscodeTarget(a, p);
  if (!target) return { kind: 'unplayable', reasons: [...reasons, `no audio format ${p.name} plays is available`] };
  return { kind: 'audio-transcode', reasons, target };
}

/** The container a copied video stream goes into: WebM for VP8/VP9, MP4 for the rest (H.264, HEVC, AV1). */
const copyContainer = (codec: string): Container => (codec === 'vp8' || codec === 'vp9' ? 'webm' : 'mp4');

/** H.264 bounds: the largest mode that keeps the source's frame rate, else the fastest one (rate capped). */
function h264Bounds(v: MediaVideo, s: VideoCodecSupport): Partial<DecisionTarget> {
  const modes = modesOf(s);
  const fps = v.frameRate ?? 30;
  const byArea = (x: Mode, y: Mode) => y.width * y.height - x.width * x.height;
  const m = modes.filter((x) => fps <= x.frameRate + FPS_SLACK).sort(byArea)[0] ?? [...modes].sort((x, y) => y.frameRate - x.frameRate || byArea(x, y))[0];
  if (!m) return {};
  const t: Partial<DecisionTarget> = {};
  if (Number.isFinite(m.width)) t.maxWidth = m.width;
  if (Number.isFinite(m.height)) t.maxHeight = m.height;
  if (Number.isFinite(m.frameRate)) t.maxFrameRate = m.frameRate;
  return t;
}

function decideVideo(m: MediaInfo, v: MediaVideo, p: Profile, audioStream: number): Decision {
  const a = m.audio;
  const vProblems = videoProblems(v, p);
  const aProblems = a ? audioProblems(a, p) : [];
  const overBitrate = p.maxBitrate !== undefined && m.bitrate !== null && m.bitrate > p.maxBitrate;
  if (overBitrate) vProblems.push(`bitrate ${mbps(m.bitrate!)} above ${p.name}'s ${mbps(p.maxBitrate!)}`);
  const containerOk = m.container !== null && p.containers.includes(m.container);
  // A player given the file plays its first (or default) audio: another one goes out re-wrapped.
  if (!vProblems.length && !aProblems.length && containerOk && audioStream === 0) return { kind: 'direct', reasons: [] };
  const containerReason = containerOk ? (audioStream > 0 ? [`audio track ${audioStream + 1} chosen: the file plays its first as is`] : []) : [`${containerLabel(m.container)} container not supported by ${p.name}`];

  // A copied H.264 or HEVC picture goes out as HLS when the device takes it (cut on its own
  // keyframes; MPEG-TS segments for H.264, fMP4 for HEVC, as Apple's HLS wants), so the player
  // knows the duration and can seek; else MP4/WebM.
  const out = (v.codec === 'h264' || v.codec === 'hevc') && p.containers.includes('hls') ? 'hls' : copyContainer(v.codec);
  if (!vProblems.length && p.containers.includes(out)) {
    const reasons = [...containerReason];
    if (!a || (!aProblems.length && COPY_INTO[a.codec]?.includes(out))) return { kind: 'remux', reasons, target: { container: out, videoCodec: 'copy', audioCodec: 'copy' } };
    reasons.push(...(aProblems.length ? aProblems : [`${codecLabel(a.codec)} audio cannot go in ${containerLabel(out)}`]));
    const audioCodec: AudioCodec = out === 'webm' ? 'opus' : 'aac';
    const target: DecisionTarget = { container: out, videoCodec: 'copy', audioCodec };
    if (a.channels !== null && a.channels > 2) target.channels = 2; // stereo: what every Cast device decodes
    return { kind: 'audio-transcode', reasons, target };
  }

  // Re-encode the picture: H.264 High within the device's H.264 limits, as HLS when the device
  // takes it (Apple players want a length or byte ranges, which a live stream has not: HLS gives
  // them the duration and seeking), else fragmented MP4 (or MPEG-TS).
  const reasons = [...vProblems, ...containerReason, ...aProblems];
  const h264 = p.videoCodecs.find((c) => c.codec === 'h264');
  const container = (['hls', 'mp4', 'mpegts'] as const).find((c) => p.containers.includes(c));
  if (!h264 || !container) return { kind: 'unplayable', reasons: [...reasons, `${p.name} takes no H.264 in MP4 or MPEG-TS to convert to`] };
  const target: DecisionTarget = { container, videoCodec: 'h264', ...h264Bounds(v, h264) };
  if (a) {
    const copy = !aProblems.length && COPY_INTO[a.codec]?.includes(container);
    target.audioCodec = copy ? 'copy' : 'aac';
    if (!copy && a.channels !== null && a.channels > 2) target.channels = 2;
  }
  if (overBitrate) target.bitrate = p.maxBitrate;
  return { kind: 'transcode', reasons, target };
}

/** How `media` should reach a receiver with `profile`; pure and deterministic. `audioStream`: the
 *  video's audio stream `media.audio` describes (0-based among its audio streams), when not the first. */
export function decide(media: MediaInfo, profile: Profile, audioStream = 0): Decision {
  const d = media.video && !profile.audioOnly ? decideVideo(media, media.video, profile, audioStream) : media.audio ? decideAudio(media, media.audio, profile, media.video !== undefined) : undefined;
  if (d) return d.target && audioStream > 0 ? { ...d, target: { ...d.target, audioStream } } : d;
  if (media.video) return { kind: 'unplayable', reasons: [`${profile.name} is audio-only and this video has no sound`] };
  return { kind: 'unplayable', reasons: ['no audio or video stream found'] };
}
