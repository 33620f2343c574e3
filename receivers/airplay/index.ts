// The AirPlay kind as registered in receivers/index.ts: its discovery manifest, its profiles and
// its drivers. A device with an `_airplay._tcp` endpoint (an Apple TV) gets the video/photo driver,
// combined with the RAOP driver for audio when it also has `_raop._tcp`; a speaker gets RAOP alone.
import type { OpenMemberOptions, TimelineContext, TimelineMember } from '../shared/timeline-member.js';
import type { ConnectOptions, Profile, Receiver, ReceiverDescriptor } from '../types.js';
import { openRaopMember } from './member.js';
import { profileForModel } from './profile.js';
import { AirPlayReceiver, connectReceiver as connectRaop } from './driver.js';
import { CombinedAirPlayReceiver } from './video/combined.js';
import { AirPlayVideoReceiver } from './video/driver.js';

export { name, serviceTypes, defaultPort, describe, modelName, profileForModel } from './describe.js';

/**
 * The video port of a TV: its `_airplay._tcp` endpoint, or a manual 'tv' entry's own port (no
 * endpoints known). Speakers that also announce `_airplay._tcp` (HomePod, AirPort Express) show no
 * video: everything goes to RAOP, even the sound of a video.
 */
function airplayPort(d: ReceiverDescriptor): number | undefined {
  if (d.type !== 'tv') return d.endpoints?.raop === undefined ? d.endpoints?.airplay : undefined;
  return d.endpoints?.airplay ?? (d.endpoints === undefined ? d.port : undefined);
}

/**
 * What the device plays, per kind of item. Audio that goes to RAOP is decoded by us, so any audio
 * plays as it is (the speaker profile): an Apple TV gets FLAC untouched, not re-encoded to AAC.
 */
export function profileFor(d: ReceiverDescriptor, item: 'audio' | 'video'): Profile {
  const raop = airplayPort(d) === undefined || d.endpoints?.raop !== undefined;
  return profileForModel(d.model, { audioOnlyHint: d.type !== 'tv' || (item === 'audio' && raop) });
}

/** A speaker (its RAOP endpoint) on a synced stream's clock. */
export function openMember(d: ReceiverDescriptor, ctx: TimelineContext, opts: OpenMemberOptions): Promise<TimelineMember> {
  return openRaopMember(d, ctx, opts);
}

export function connectReceiver(descriptor: ReceiverDescriptor, opts?: ConnectOptions): Receiver {
  const videoPort = airplayPort(descriptor);
  if (videoPort === undefined) return connectRaop(descriptor, opts);
  const video = new AirPlayVideoReceiver({ ...descriptor, port: videoPort }, opts);
  const raopPort = descriptor.endpoints?.raop;
  const audio = raopPort !== undefined ? new AirPlayReceiver({ ...descriptor, port: raopPort }, opts) : undefined;
  return new CombinedAirPlayReceiver(video, audio);
}
