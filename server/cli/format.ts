// Human-readable lines for the CLI (the --json flag prints the raw data instead).
import type { ReceiverDescriptor } from '../../receivers/types.js';
import type { SessionSnapshot } from '../playback/session.js';

export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

export function receiverLine(r: ReceiverDescriptor & { hasPassword?: boolean }): string {
  if (r.type === 'group') {
    const members = (r.group ?? []).map((m) => `${m.name}${m.state === 'gone' || m.state === 'failed' ? ` (${m.state})` : ''}`).join(', ');
    return `${r.online ? '●' : '○'} ${r.name}  (group: ${members || 'no members'}${r.online ? '' : ', offline'})`;
  }
  const lock = r.needsPassword ? (r.hasPassword ? ' [password kept]' : ' [needs a password: npm run cli -- password --to NAME]') : '';
  return `${r.online ? '●' : '○'} ${r.name}${lock}  (${r.type}${r.model ? `, ${r.modelName ?? r.model}` : ''}, ${r.kind}, ${r.host}:${r.port}${r.online ? '' : ', offline'})`;
}

/** Position now, interpolated from (position, at, rate). */
export function positionNow(s: Pick<SessionSnapshot, 'position' | 'at' | 'rate' | 'duration'>, now = Date.now()): number {
  const p = s.position + (s.rate * (now - s.at)) / 1000;
  return s.duration ? Math.min(p, s.duration) : p;
}

export function sessionLine(s: SessionSnapshot, receiverName: string): string {
  if (!s.item) return `${receiverName}: idle`;
  const who = s.item.artist ? `${s.item.artist} – ` : '';
  const lines = [`${receiverName}: ${s.state} ${who}${s.item.title}  ${clock(positionNow(s))} / ${clock(s.duration)}  volume ${Math.round(s.volume.level * 100)}%${s.volume.muted ? ' (muted)' : ''}`];
  if (s.queue.length > 1) lines.push(`  queue: ${s.index + 1} of ${s.queue.length}`);
  const upNext = s.queue[s.index + 1];
  if (upNext?.upNext) lines.push(`  up next: ${upNext.title} (the show's next episode, queued)`);
  if (s.decision && s.decision.kind !== 'direct') lines.push(`  ${s.decision.kind === 'remux' ? 'Remuxing' : 'Transcoding'}: ${s.decision.reasons.join('; ')}`);
  if ((s.audioTracks?.length ?? 0) > 1) lines.push(`  audio: ${s.audioTracks!.find((t) => t.index === s.audioTrack)?.label ?? '?'}`);
  if (s.subtitles.length) lines.push(`  subtitles: ${s.subtitles.find((t) => t.index === s.subtitle)?.label ?? 'off'}`);
  if (s.error) lines.push(`  ${s.idleReason ?? 'error'}: ${s.error}`);
  return lines.join('\n');
}

/** The item's text tracks, numbered from 1 as `subtitles N` takes them, the shown one starred. */
export function subtitleLines(s: SessionSnapshot): string {
  if (!s.item) return 'nothing is playing';
  if (!s.subtitles.length) return `"${s.item.title}" has no subtitles this receiver shows`;
  const mark = (on: boolean) => (on ? '*' : ' ');
  return [`${mark(s.subtitle === null)} off`, ...s.subtitles.map((t) => `${mark(t.index === s.subtitle)} ${t.index + 1}. ${t.label}`)].join('\n');
}

/** A group and each member's own state, volume and delay (`group list`). */
export function groupLines(r: ReceiverDescriptor): string {
  const members = (r.group ?? []).map((m) => {
    const extra = [m.delayMs ? `delay ${m.delayMs} ms` : '', m.synced ? '' : m.unsynced ? `not in sync (${m.unsynced})` : 'not in sync', m.error ?? ''].filter(Boolean).join(', ');
    return `  ${m.name}: ${m.state}, volume ${Math.round(m.volume * 100)}%${m.muted ? ' (muted)' : ''}${extra ? `, ${extra}` : ''}`;
  });
  return [`${r.online ? '●' : '○'} ${r.name}${r.online ? '' : ' (offline)'}`, ...members].join('\n');
}
