// From a playback decision to the transcode URL's target (what signing.ts puts in the URL), so
// every limit the decision sets reaches ffmpeg.
import type { DecisionTarget } from '../playback/decide.js';
import type { TranscodeTarget } from './signing.js';

/** The decision's bit depth is a device maximum; ffmpeg writes 16, 24 or 32, so round down to one. */
const bitDepthOf = (bits: number): 16 | 24 | 32 => (bits >= 32 ? 32 : bits >= 24 ? 24 : 16);

/** undefined when the decision has no target (direct play or unplayable). */
export function transcodeTargetFrom(decision: { target?: DecisionTarget }, source?: { hdr?: string | null }): TranscodeTarget | undefined {
  const d = decision.target;
  if (!d) return undefined;
  const t: TranscodeTarget = { container: d.container };
  if (d.videoCodec !== undefined) t.videoCodec = d.videoCodec;
  if (d.audioCodec !== undefined) t.audioCodec = d.audioCodec;
  if (d.bitrate !== undefined) t.bitrate = d.bitrate;
  if (d.sampleRate !== undefined) t.sampleRate = d.sampleRate;
  if (d.bitDepth !== undefined) t.bitDepth = bitDepthOf(d.bitDepth);
  if (d.channels !== undefined) t.channels = d.channels;
  if (d.maxWidth !== undefined) t.maxWidth = d.maxWidth;
  if (d.maxHeight !== undefined) t.maxHeight = d.maxHeight;
  if (d.maxFrameRate !== undefined) t.maxFrameRate = d.maxFrameRate;
  if (d.audioStream) t.audioStream = d.audioStream;
  // Every encoder here writes 8-bit 4:2:0 SDR (H.264 above all, chosen when the device lacks the
  // source's HDR), so any re-encode of an HDR source is tone mapped; a copied stream keeps its HDR.
  if (source?.hdr && d.videoCodec !== undefined && d.videoCodec !== 'copy') t.toneMap = true;
  return t;
}
