// "Move to…": what plays on one receiver (or group) goes on on another, same queue (shuffle,
// repeat, subtitle choice), from the position it has when the new receiver is ready to start;
// then the first stops. The new one starts before the old one stops, so a receiver that cannot
// take it leaves the music playing where it was and the move is refused with its reason.
import type { Logger } from '../util/log.js';
import { PlaybackError, type Session, type SessionSnapshot } from './session.js';

export async function moveSession(from: Session, to: Session, log: Logger): Promise<SessionSnapshot> {
  if (from === to) throw new PlaybackError('it already plays there');
  const snap = await to.takeOver(from.handOff());
  // Stopping what is already stopped (a receiver that lost it) is no reason to fail the move.
  await from.stop().catch((err: Error) => log.info('moved from a receiver that did not stop', { receiver: from.receiverId, reason: err.message }));
  log.info('moved', { from: from.receiverId, to: to.receiverId, position: Math.round(snap.position * 1000) / 1000 });
  return snap;
}
