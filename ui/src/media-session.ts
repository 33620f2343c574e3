// The Media Session API: the phone's lock screen and notification show what plays on the
// receiver, and their buttons send commands. Browsers show these only while the page itself
// plays audio, so on many phones this shows nothing until then; it costs nothing to keep set.
// While this device is itself a player ("Play on this device") and plays, the audio the lock
// screen belongs to is its own: it shows the session this device plays in (its own, or its
// group's) whatever receiver the remote has chosen, play/pause/next/previous go to that session as
// Sendspin controller commands, and a seek goes to it as the remote's own command (Sendspin has none).
// While the page itself plays ("This device"), the lock screen shows that session, and its buttons go to it.
import type { Controller } from './data/actions.js';
import { devicePlayer } from './data/device-player.js';
import { artFor } from './data/art.js';
import { positionNow } from './data/position.js';
import { serverNow } from './data/clock.js';
import type { Receiver, SessionSnapshot } from './data/types.js';

/** The session this device's own player plays in: its receiver's, or that of a group it is a member of. */
export function devicePlayerSession(receivers: Receiver[], sessions: Readonly<Record<string, SessionSnapshot>>, id: string): SessionSnapshot | null {
  if (sessions[id]) return sessions[id];
  const group = receivers.find((r) => r.type === 'group' && r.members?.includes(id) && sessions[r.id]);
  return group ? sessions[group.id]! : null;
}

export function mediaSessionSync(controller: Controller): (s: SessionSnapshot | null) => void {
  if (!('mediaSession' in navigator)) return () => undefined;
  const ms = navigator.mediaSession;
  let current: SessionSnapshot | null = null;
  let shownItem = -1;
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ['play', () => (devicePlayer.controlling ? devicePlayer.command('play') : void (current?.state === 'paused' ? controller.resume(current.receiverId) : undefined))],
    ['pause', () => (devicePlayer.controlling ? devicePlayer.command('pause') : void controller.pause(current?.receiverId))],
    ['nexttrack', () => (devicePlayer.controlling ? devicePlayer.command('next') : void controller.next(current?.receiverId))],
    ['previoustrack', () => (devicePlayer.controlling ? devicePlayer.command('previous') : void controller.previous(current?.receiverId))],
    ['seekto', (d) => d.seekTime !== undefined && void controller.seek(d.seekTime, current?.receiverId)],
    ['seekbackward', (d) => current && void controller.seek(positionNow(current, serverNow()) - (d.seekOffset ?? 10), current.receiverId)],
    ['seekforward', (d) => current && void controller.seek(positionNow(current, serverNow()) + (d.seekOffset ?? 10), current.receiverId)],
    ['stop', () => void controller.stop(current?.receiverId)],
  ];
  for (const [action, handler] of handlers) {
    try {
      ms.setActionHandler(action, handler);
    } catch {
      /* this browser does not know the action */
    }
  }
  return (s) => {
    current = s;
    const item = s?.item ?? null;
    if (!s || !item) {
      ms.metadata = null;
      ms.playbackState = 'none';
      shownItem = -1;
      return;
    }
    if (item.id !== shownItem) {
      shownItem = item.id;
      ms.metadata = new MediaMetadata({ title: item.title, artist: item.artist ?? '', album: item.album ?? '' });
      void artFor(item).then((url) => {
        if (url && shownItem === item.id) ms.metadata = new MediaMetadata({ title: item.title, artist: item.artist ?? '', album: item.album ?? '', artwork: [{ src: new URL(url, location.href).href, sizes: '300x300', type: 'image/jpeg' }] });
      });
    }
    ms.playbackState = s.state === 'playing' ? 'playing' : s.state === 'paused' ? 'paused' : 'none';
    if (s.duration && s.duration > 0) {
      try {
        ms.setPositionState({ duration: s.duration, position: Math.min(positionNow(s, serverNow()), s.duration), playbackRate: s.rate > 0 ? s.rate : 1 });
      } catch {
        /* a position past a changed duration: skip this one */
      }
    }
  };
}
