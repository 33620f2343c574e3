// Turns (receiver, item, decision) into what a driver loads: absolute, signed URLs on the
// address of ours that the receiver can reach, the content type of what it will get, metadata.
import type { LoadRequest, ReceiverDescriptor } from '../../receivers/types.js';
import type { UrlSigner } from '../media/signing.js';
import { transcodeTargetFrom } from '../media/target.js';
import { CONTAINERS } from '../media/transcode-params.js';
import type { Decision } from './decide.js';
import { httpBase, localAddressFor } from './local-address.js';
import type { Playable } from './playable.js';

export interface LoadRequestDeps {
  signer: UrlSigner;
  /** The port we listen on (known once listening). */
  port(): number;
}

export function loadRequestBuilder(deps: LoadRequestDeps) {
  return async (d: ReceiverDescriptor, item: Playable, decision: Decision, startAt: number): Promise<LoadRequest> => {
    const base = httpBase(await localAddressFor(d.host, d.port), deps.port());
    const target = decision.kind === 'direct' ? undefined : transcodeTargetFrom(decision, { hdr: item.hdr });
    const live = target !== undefined;
    const url = base + deps.signer.streamUrl(item.id, target, live && startAt > 0 ? startAt : undefined);
    const contentType = target ? CONTAINERS[target.container as keyof typeof CONTAINERS]?.mime[item.kind === 'video' && target.videoCodec ? 'video' : 'audio'] ?? item.mime : item.mime;
    // Every text subtitle, side-loaded as WebVTT; the first one shown (like a TV's default).
    const subtitles = item.subtitles.map((sub, n) => ({
      url: base + deps.signer.signPath(`/subs/${item.id}/${n}`),
      language: sub.language,
      name: sub.title ?? sub.language ?? (sub.source === 'external' ? 'Subtitles' : `Track ${n + 1}`),
      contentType: 'text/vtt',
    }));
    return {
      url,
      contentType,
      ...(subtitles.length ? { subtitles } : {}),
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
