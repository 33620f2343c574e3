// The receiver namespace (platform, `receiver-0`): status, launching and stopping the Default
// Media Receiver, device volume, app availability. Every change is answered to the requester
// (with its requestId) and broadcast (requestId 0): castv2-client emits `status` only for
// broadcasts. pychromecast needs `namespaces` as {name} objects and a transportId.
import { randomUUID } from 'node:crypto';
import type { ChannelContext, RunningApp } from '../context.js';
import { DEFAULT_MEDIA_RECEIVER, NS, PLATFORM_ID } from '../context.js';
import type { Incoming } from '../server.js';
import { closeSendersOf } from './connection.js';
import { WEBRTC_NS } from '../../streaming/messages.js';

export interface ReceiverHooks {
  /** The app is about to stop: end its media. */
  appStopping(app: RunningApp): void;
  /** Device volume changed: the media channel re-reports its status. */
  volumeChanged(): void;
  /** An app started or stopped (the mDNS advert shows it). */
  appChanged(): void;
  /** Apps besides the Default Media Receiver this device runs (the Cast Streaming mirroring apps). */
  launchable(appId: string): boolean;
}

/** What RECEIVER_STATUS lists for an app: the Default Media Receiver, or a mirroring app. */
function appEntry(appId: string): { displayName: string; namespaces: string[] } {
  if (appId === DEFAULT_MEDIA_RECEIVER) return { displayName: 'Default Media Receiver', namespaces: [NS.media] };
  return { displayName: 'Chrome Mirroring', namespaces: [WEBRTC_NS, 'urn:x-cast:com.google.cast.remoting'] };
}

export function receiverStatus(ctx: ChannelContext): Record<string, unknown> {
  const { app, volume } = ctx.state;
  const status: Record<string, unknown> = {
    isActiveInput: true,
    isStandBy: false,
    volume: { controlType: 'attenuation', level: volume.level, muted: volume.muted, stepInterval: 0.05 },
  };
  if (app) {
    const entry = appEntry(app.appId);
    status.applications = [{
      appId: app.appId,
      appType: 'WEB',
      displayName: entry.displayName,
      iconUrl: '',
      isIdleScreen: false,
      launchedFromCloud: false,
      namespaces: entry.namespaces.map((name) => ({ name })),
      sessionId: app.sessionId,
      statusText: entry.displayName,
      transportId: app.transportId,
      universalAppId: app.appId,
    }];
  }
  return status;
}

function answer(msg: Incoming, ctx: ChannelContext, changed: boolean): void {
  const status = receiverStatus(ctx);
  ctx.reply(msg, { type: 'RECEIVER_STATUS', requestId: msg.data?.requestId ?? 0, status });
  if (changed) ctx.broadcast(PLATFORM_ID, NS.receiver, { type: 'RECEIVER_STATUS', requestId: 0, status });
}

export function stopApp(ctx: ChannelContext, hooks: ReceiverHooks): void {
  const app = ctx.state.app;
  if (!app) return;
  hooks.appStopping(app);
  closeSendersOf(app.transportId, ctx);
  ctx.state.app = null;
  ctx.emit({ event: 'app-stopped', appId: app.appId, sessionId: app.sessionId });
  hooks.appChanged();
}

export function handleReceiver(msg: Incoming, ctx: ChannelContext, hooks: ReceiverHooks): void {
  const data = msg.data ?? {};
  const requestId = data.requestId ?? 0;
  switch (data.type) {
    case 'GET_STATUS':
      return answer(msg, ctx, false);
    case 'LAUNCH': {
      const appId = String(data.appId);
      if (appId !== DEFAULT_MEDIA_RECEIVER && !hooks.launchable(appId)) {
        ctx.reply(msg, { type: 'LAUNCH_ERROR', requestId, reason: 'NOT_FOUND' });
        return;
      }
      // Launching the app that already runs joins it, as on a device; another app is replaced.
      if (ctx.state.app && ctx.state.app.appId !== appId) stopApp(ctx, hooks);
      if (!ctx.state.app) {
        const sessionId = randomUUID();
        ctx.state.app = { appId, sessionId, transportId: sessionId };
        ctx.emit({ event: 'launch', appId, sessionId });
        hooks.appChanged();
      }
      return answer(msg, ctx, true);
    }
    case 'STOP': {
      if (data.sessionId !== undefined && data.sessionId !== ctx.state.app?.sessionId) {
        ctx.reply(msg, { type: 'INVALID_REQUEST', requestId, reason: 'INVALID_SESSION_ID' });
        return;
      }
      stopApp(ctx, hooks);
      return answer(msg, ctx, true);
    }
    case 'SET_VOLUME': {
      const v = (data.volume ?? {}) as { level?: unknown; muted?: unknown };
      if (typeof v.level !== 'number' && typeof v.muted !== 'boolean') {
        ctx.reply(msg, { type: 'INVALID_REQUEST', requestId, reason: 'INVALID_PARAMS' });
        return;
      }
      setVolume(ctx, v);
      hooks.volumeChanged();
      return answer(msg, ctx, true);
    }
    case 'GET_APP_AVAILABILITY': {
      const ids = Array.isArray(data.appId) ? data.appId : [data.appId];
      const availability = Object.fromEntries(ids.map((id) => [String(id), id === DEFAULT_MEDIA_RECEIVER || hooks.launchable(String(id)) ? 'APP_AVAILABLE' : 'APP_UNAVAILABLE']));
      ctx.reply(msg, { type: 'GET_APP_AVAILABILITY', responseType: 'GET_APP_AVAILABILITY', requestId, availability });
      return;
    }
    default:
      ctx.reply(msg, { type: 'INVALID_REQUEST', requestId, reason: 'INVALID_COMMAND' });
  }
}

/** Applies a SET_VOLUME body (receiver or media namespace) and reports it. */
export function setVolume(ctx: ChannelContext, v: { level?: unknown; muted?: unknown }): void {
  if (typeof v.level === 'number' && Number.isFinite(v.level)) ctx.state.volume.level = Math.min(1, Math.max(0, v.level));
  if (typeof v.muted === 'boolean') ctx.state.volume.muted = v.muted;
  ctx.emit({ event: 'volume', level: ctx.state.volume.level, muted: ctx.state.volume.muted });
}
