// The AirPlay driver's parts that are not its control flow (driver.ts): its options, the volume
// scale and how an RTSP refusal reads.
import { RtspAuthError, RtspError, type RaopCodec } from './raop/rtsp.js';
import { NeedsPasswordError, type ConnectOptions } from '../types.js';
import type { PcmDriverOptions } from '../shared/pcm-driver.js';

export interface AirPlayDriverOptions extends ConnectOptions, PcmDriverOptions {
  timeoutMs?: number;
  /** Overrides the codec the speaker's TXT `cn` asks for ('alac' unless it lacks ALAC). */
  codec?: RaopCodec;
}

/** AirPlay volume in dB for a level 0..1: −30 … 0, and 0 → −144 (mute). */
export function levelToDb(level: number): number {
  const l = Math.min(1, Math.max(0, level));
  return l === 0 ? -144 : -30 + 30 * l;
}

/** A readable error for an RTSP refusal. */
export function explain(err: unknown, name: string): Error {
  if (err instanceof RtspAuthError) return new NeedsPasswordError(err.wrong ? `${name} did not accept the password` : `${name} needs a password`, err.wrong);
  if (err instanceof RtspError) {
    const s = err.response.status;
    if (s === 403) return new Error(`${name} refused us (403 Forbidden)`);
    if (s === 453) return new Error(`${name} is busy with another sender`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
