// The software renderer's AVTransport and RenderingControl state (AVTransport:1 §2.4 state
// machine): a URI set and played, paused, sought, stopped; the next URI taken at the end; volume
// and mute. Actions a device would refuse in its state answer with the spec's errors (701
// Transition not available, 710 Seek mode not supported, 711 Illegal seek target). State changes go
// out as LastChange events (the caller's `changed`) and as JSON events.
import { EventEmitter } from 'node:events';
import { UpnpError, UpnpErrors } from '../../shared/upnp/soap.js';
import type { Profile } from '../../types.js';
import { formatUpnpTime, parseUpnpTime } from '../time.js';
import { child, parseXml, text } from '../xml.js';
import { openImage } from './image.js';
import { RendererPlayer, type PlayerOptions } from './player.js';

export type TransportState = 'STOPPED' | 'PLAYING' | 'PAUSED_PLAYBACK' | 'TRANSITIONING' | 'NO_MEDIA_PRESENT';

export type RendererEvent = Record<string, unknown> & { event: string };

interface Media { uri: string; metadata: string }

/** Title, artist and album from a DIDL-Lite item, for the events (tolerant: metadata is optional). */
export function didlSummary(didl: string): { title: string | null; artist: string | null; album: string | null; artUrl: string | null } {
  const item = didlItem(didl);
  return { title: text(item, 'title') ?? null, artist: text(item, 'artist') ?? text(item, 'creator') ?? null, album: text(item, 'album') ?? null, artUrl: text(item, 'albumArtURI') ?? null };
}

function didlItem(didl: string): ReturnType<typeof child> {
  try {
    return child(child(parseXml(didl), 'DIDL-Lite'), 'item');
  } catch {
    return undefined;
  }
}

/** A photo, as a TV tells: the item's upnp:class, else the image/ MIME type of its protocolInfo. */
function isImage(didl: string): boolean {
  const item = didlItem(didl);
  if (text(item, 'class')?.startsWith('object.item.imageItem')) return true;
  const res = child(item, 'res');
  return /^[^:]*:[^:]*:image\//.test(String(res?.['@protocolInfo'] ?? ''));
}

export class RendererTransport extends EventEmitter<{ event: [RendererEvent]; avChanged: [Record<string, string>]; rcChanged: [Record<string, string>] }> {
  state: TransportState = 'NO_MEDIA_PRESENT';
  status: 'OK' | 'ERROR_OCCURRED' = 'OK';
  current: Media | null = null;
  next: Media | null = null;
  volume = 50;
  muted = false;
  private player: RendererPlayer | null = null;
  /** A photo being fetched or on screen (aborted when it goes). */
  private image: AbortController | null = null;

  constructor(private readonly profile: Profile, private readonly opts: PlayerOptions) {
    super();
  }

  private setState(state: TransportState, extra: Record<string, string> = {}): void {
    this.state = state;
    this.emit('avChanged', { TransportState: state, TransportStatus: this.status, ...extra });
  }

  setUri(uri: string, metadata: string): void {
    if (!/^https?:\/\//i.test(uri)) throw UpnpErrors.argumentValueInvalid(`Not an http URL: ${uri.slice(0, 100)}`);
    const wasPlaying = this.state === 'PLAYING' || this.state === 'TRANSITIONING';
    this.dropPlayer();
    this.current = { uri, metadata };
    this.next = null;
    this.status = 'OK';
    this.emit('event', { event: 'load', url: uri, ...didlSummary(metadata) });
    this.emit('avChanged', { AVTransportURI: uri, CurrentTrackURI: uri, NextAVTransportURI: '' });
    // A playing transport plays the new URI at once (AVTransport:1 §2.4.1).
    if (wasPlaying) this.start();
    else this.setState('STOPPED');
  }

  setNextUri(uri: string, metadata: string): void {
    if (!/^https?:\/\//i.test(uri)) throw UpnpErrors.argumentValueInvalid(`Not an http URL: ${uri.slice(0, 100)}`);
    this.next = { uri, metadata };
    this.emit('event', { event: 'next', url: uri, ...didlSummary(metadata) });
    this.emit('avChanged', { NextAVTransportURI: uri });
  }

  play(): void {
    if (!this.current) throw new UpnpError(701, 'Transition not available');
    if (this.state === 'PAUSED_PLAYBACK' && this.player) {
      this.player.resume();
      this.emit('event', { event: 'resumed', url: this.current.uri, position: this.player.position() });
      return this.setState('PLAYING');
    }
    if (this.state === 'STOPPED') this.start();
  }

  pause(): void {
    if (this.state !== 'PLAYING' || !this.player) throw new UpnpError(701, 'Transition not available');
    this.player.pause();
    this.emit('event', { event: 'paused', url: this.current!.uri, position: this.player.position() });
    this.setState('PAUSED_PLAYBACK');
  }

  stop(): void {
    if (this.state === 'NO_MEDIA_PRESENT') return;
    const position = this.player?.position() ?? 0;
    this.dropPlayer();
    this.emit('event', { event: 'stopped', url: this.current?.uri ?? null, position });
    this.setState('STOPPED');
  }

  seek(unit: string, target: string): void {
    if (unit !== 'REL_TIME' && unit !== 'ABS_TIME') throw new UpnpError(710, 'Seek mode not supported');
    const to = parseUpnpTime(target);
    if (to === null) throw new UpnpError(711, 'Illegal seek target');
    if (!this.player || (this.state !== 'PLAYING' && this.state !== 'PAUSED_PLAYBACK')) throw new UpnpError(701, 'Transition not available');
    const d = this.player.knownDuration();
    if (d !== null && to > d) throw new UpnpError(711, 'Illegal seek target');
    this.player.seek(to);
    this.emit('event', { event: 'seek', url: this.current!.uri, position: to });
  }

  setVolume(v: number): void {
    this.volume = v;
    this.emit('event', { event: 'volume', level: v / 100 });
    this.emit('rcChanged', { Volume: String(v) });
  }

  setMuted(m: boolean): void {
    this.muted = m;
    this.emit('event', { event: 'mute', muted: m });
    this.emit('rcChanged', { Mute: m ? '1' : '0' });
  }

  position(): { rel: string; duration: string } {
    const p = this.player;
    const d = p?.knownDuration() ?? null;
    return { rel: formatUpnpTime(p?.position() ?? 0), duration: d !== null ? formatUpnpTime(d) : '0:00:00' };
  }

  private start(): void {
    const media = this.current!;
    if (isImage(media.metadata)) return this.show(media);
    const player = new RendererPlayer(media.uri, this.profile, this.opts);
    this.player = player;
    this.status = 'OK';
    this.setState('TRANSITIONING');
    player.once('ready', (probe) => {
      if (this.player !== player) return;
      this.emit('event', { event: 'playing', url: media.uri, position: 0, duration: probe.duration, container: probe.container, audioCodec: probe.audio?.codec ?? null, videoCodec: probe.video?.codec ?? null });
      this.setState('PLAYING', { CurrentTrackDuration: this.position().duration });
    });
    player.once('failed', (reason) => {
      if (this.player !== player) return;
      this.player = null;
      this.status = 'ERROR_OCCURRED';
      this.emit('event', { event: 'refused', url: media.uri, reason });
      this.setState('STOPPED');
    });
    player.once('ended', () => {
      if (this.player !== player) return;
      this.player = null;
      this.emit('event', { event: 'ended', url: media.uri, position: player.position() });
      if (this.next) {
        this.current = this.next;
        this.next = null;
        this.emit('avChanged', { AVTransportURI: this.current.uri, CurrentTrackURI: this.current.uri, NextAVTransportURI: '' });
        return this.start();
      }
      this.setState('STOPPED');
    });
    void player.open();
  }

  private show(media: Media): void {
    const image = (this.image = new AbortController());
    this.status = 'OK';
    this.setState('TRANSITIONING');
    openImage(media.uri, this.profile, this.opts, image.signal).then(
      (shown) => {
        if (this.image !== image) return;
        this.emit('event', { event: 'showing', url: media.uri, ...shown });
        this.setState('PLAYING', { CurrentTrackDuration: '0:00:00' });
      },
      (err: Error) => {
        if (this.image !== image) return;
        this.image = null;
        this.status = 'ERROR_OCCURRED';
        this.emit('event', { event: 'refused', url: media.uri, reason: err.message });
        this.setState('STOPPED');
      },
    );
  }

  private dropPlayer(): void {
    this.player?.stop();
    this.player = null;
    this.image?.abort();
    this.image = null;
  }

  close(): void {
    this.dropPlayer();
  }
}
