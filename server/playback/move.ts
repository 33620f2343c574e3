// "Move to…": what plays on one receiver (or group) goes on on another, same queue (shuffle,
// repeat, subtitle choice), from the position it left; then the first stops. The first pauses
// before the second loads, so the second starts exactly where the first was last heard however
// long it takes to start (the gap is that time), not where the first had played on to meanwhile.
// A receiver that cannot take it leaves the first where it was, playing again, and the move is
// refused with its reason.
import type { Logger } from '../util/log.js';
import { PlaybackError, type Session, type SessionSnapshot } from './session.js';

export async function moveSession(from: Session, to: Session, log: Logger): Promise<SessionSnapshot> {
  if (from === to) throw new PlaybackError('it already plays there');
  const h = from.handOff();
  const wasPlaying = !h.paused;
  // A receiver that cannot pause plays on while the other loads: then the position is read at the last moment.
  const paused = wasPlaying && (await from.pause().then(() => true, () => false));
  const left = paused ? h.position() : undefined;
  let snap: SessionSnapshot;
  try {
    snap = await to.takeOver(left === undefined ? h : { ...h, position: () => left });
  } catch (err) {
    if (paused) await from.resume().catch(() => undefined);
    throw err;
  }
  // Stopping what is already stopped (a receiver that lost it) is no reason to fail the move.
  await from.stop().catch((err: Error) => log.info('moved from a receiver that did not stop', { receiver: from.receiverId, reason: err.message }));
  log.info('moved', { from: from.receiverId, to: to.receiverId, position: Math.round(snap.position * 1000) / 1000 });
  return snap;
}
