// Turns (receiver, item, decision) into what a driver loads: absolute, signed URLs on the
// address of ours that the receiver can reach, the content type of what it will get, metadata.
import { createHash } from 'node:crypto';
import type { LoadRequest, ReceiverDescriptor } from '../../receivers/types.js';
import type { UrlSigner } from '../media/signing.js';
import { hlsUrl } from '../media/hls-url.js';
import { transcodeTargetFrom } from '../media/target.js';
import { CONTAINERS } from '../media/transcode-params.js';
import type { Decision } from './decide.js';
import { httpBase, localAddressFor } from './local-address.js';
import type { Playable } from './playable.js';
import { defaultSubtitle, subtitleLabel } from './subtitles.js';

/** One HLS stream per receiver (and item and plan, which the key holds too): a reload of the same
 *  item there (a seek) reuses its ffmpeg and segments instead of leaving one behind to idle out. */
const hlsStreamId = (receiverId: string): string => createHash('sha256').update(receiverId).digest('base64url').slice(0, 12);

export interface LoadRequestDeps {
  signer: UrlSigner;
  /** The port we listen on (known once listening). */
  port(): number;
  /** A group's members (by id): the group itself has no address; its media goes where they are. */
  member?(id: string): ReceiverDescriptor | undefined;
  /** A device that connected to us (receivers/index.ts dialedIn): its address is not one to serve media on. */
  dialedIn?(d: ReceiverDescriptor): boolean;
}

/** The device the URLs must reach: a receiver, or for a group a member on the network (a Chromecast
 *  following the group fetches them itself; AirPlay and Sendspin members are fed by our own ffmpeg). */
function reachedBy(d: ReceiverDescriptor, deps: LoadRequestDeps): { host: string; port: number } {
  if (d.kind !== 'group') return d;
  const members = (d.members ?? []).map((id) => deps.member?.(id)).filter((m): m is ReceiverDescriptor => m !== undefined && m.host !== '');
  return members.find((m) => m.online && !deps.dialedIn?.(m)) ?? members[0] ?? { host: '127.0.0.1', port: 9 };
}

export function loadRequestBuilder(deps: LoadRequestDeps) {
  return async (d: ReceiverDescriptor, item: Playable, decision: Decision, startAt: number): Promise<LoadRequest> => {
    const to = reachedBy(d, deps);
    const base = httpBase(await localAddressFor(to.host, to.port), deps.port());
    const decided = decision.kind === 'direct' ? undefined : transcodeTargetFrom(decision, { hdr: item.hdr });
    // HLS (a playlist of the whole item) seeks like a file: the player asks for the segment it wants.
    // Its playlist needs the duration; without one the same encode goes out live: MPEG-TS, or
    // fragmented MP4 (hvc1) for a copied HEVC picture, which Apple takes in no MPEG-TS.
    const hls = decided?.container === 'hls' && item.duration !== null && item.duration > 0;
    const hevcCopy = decided?.videoCodec === 'copy' && item.media?.video?.codec === 'hevc';
    const target = decided?.container === 'hls' && !hls ? { ...decided, container: hevcCopy ? 'mp4' : 'mpegts' } : decided;
    const live = target !== undefined && !hls;
    const url = base + (hls && target ? hlsUrl(deps.signer, item.id, target, hlsStreamId(d.id)) : deps.signer.streamUrl(item.id, target, live && startAt > 0 ? startAt : undefined));
    const contentType = target ? CONTAINERS[target.container as keyof typeof CONTAINERS]?.mime[item.kind === 'video' && target.videoCodec ? 'video' : 'audio'] ?? item.mime : item.mime;
    // Every text subtitle, side-loaded as WebVTT (the receiver fetches only the one it shows);
    // shown from the start only when the file flags one default or forced.
    const subtitles = item.subtitles.map((sub, n) => ({
      url: base + deps.signer.signPath(`/subs/${item.id}/${n}`),
      language: sub.language,
      name: subtitleLabel(sub, n),
      contentType: 'text/vtt',
    }));
    const active = defaultSubtitle(item.subtitles);
    return {
      url,
      contentType,
      ...(subtitles.length ? { subtitles } : {}),
      ...(active !== null ? { activeSubtitle: active } : {}),
      duration: item.duration !== null && live ? Math.max(0, item.duration - startAt) : item.duration,
      startAt: live ? 0 : startAt,
      live,
      metadata: {
        kind: item.kind,
        title: item.title,
        ...(item.artist ? { artist: item.artist } : {}),
        ...(item.album ? { album: item.album } : {}),
        ...(item.albumArtist ? { albumArtist: item.albumArtist } : {}),
        ...(item.trackNo ? { trackNo: item.trackNo } : {}),
        ...(item.artHash ? { artUrl: base + deps.signer.artUrl(item.artHash, 600) } : {}),
      },
    };
  };
}
