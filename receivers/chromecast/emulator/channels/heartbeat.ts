// tp.heartbeat: PING → PONG. castv2-client gives up after 15 s without PONG, pychromecast
// reconnects after 20 s. pychromecast also answers our PINGs, but we never need to send any:
// a dead TCP socket closes on its own on loopback and LAN.
import type { ChannelContext } from '../context.js';
import type { Incoming } from '../server.js';

export function handleHeartbeat(msg: Incoming, ctx: ChannelContext): void {
  if (msg.data?.type === 'PING') ctx.reply(msg, { type: 'PONG' });
}
