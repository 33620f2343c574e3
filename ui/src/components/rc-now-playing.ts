// What the controlled receiver is playing: artwork, title, progress with seek, transport,
// volume, and how the item reaches the device (direct play or a transcode, and why).
// Presentational: it shows a snapshot and sends `control`, `seek`, `volume`, `mute`, `subtitle`, `audio-track` events.
// For a group, the members' own volumes and delays; and "Move to…" (those two send their commands).
import { css, html, LitElement, nothing } from 'lit';
import { decisionText, stateText } from '../data/format.js';
import type { Receiver, SessionSnapshot } from '../data/types.js';
import { icons } from './icons.js';
import type { Controller } from '../data/actions.js';
import './rc-art.js';
import './rc-group-members.js';
import './rc-move-to.js';
import './rc-progress.js';
import './rc-volume.js';
import { shared } from './styles.js';

export type Control = 'toggle' | 'next' | 'previous' | 'shuffle' | 'repeat';

export class RcNowPlaying extends LitElement {
  static override properties = {
    session: { attribute: false },
    receiver: { attribute: false },
    art: {},
    compact: { type: Boolean, reflect: true },
    receivers: { attribute: false },
    controller: { attribute: false },
  };
  /** Every receiver, for "Move to…". */
  declare receivers: Receiver[];
  declare controller: Controller | null;
  declare session: SessionSnapshot | null;
  declare receiver: Receiver | null;
  declare art: string | null;
  /** The desktop side panel: artwork beside the title instead of above it. */
  declare compact: boolean;

  constructor() {
    super();
    this.session = null;
    this.receiver = null;
    this.art = null;
    this.compact = false;
    this.receivers = [];
    this.controller = null;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; padding: 16px; }
      .art { width: min(100%, 34vh, 420px); aspect-ratio: 1; margin: 0 auto 16px; border-radius: var(--radius); box-shadow: 0 8px 24px rgb(0 0 0 / 0.18); }
      /* A video's frame or poster keeps its aspect in a 16:9 box (fit=contain). */
      .art.video { width: min(100%, 60vh, 560px); aspect-ratio: 16 / 9; }
      :host([compact]) .top { display: grid; grid-template-columns: 96px 1fr; gap: 12px; align-items: center; }
      :host([compact]) .art { width: 96px; margin: 0; box-shadow: none; }
      :host([compact]) .top.video { grid-template-columns: 128px 1fr; }
      :host([compact]) .art.video { width: 128px; }
      h2 { font-size: 1.25rem; margin: 0 0 4px; line-height: 1.3; }
      .sub { margin: 0 0 8px; }
      .controls { display: flex; align-items: center; justify-content: space-between; max-width: 360px; margin: 4px auto 8px; }
      .main { width: 64px; height: 64px; border-radius: 50%; background: var(--accent); color: var(--accent-fg); display: grid; place-items: center; }
      .main svg { width: 36px; height: 36px; }
      .toggle[aria-pressed='true'] { color: var(--accent); }
      .toggle[aria-pressed='false'] { color: var(--muted); }
      rc-volume { max-width: 420px; margin: 0 auto; }
      .subs { display: flex; align-items: center; gap: 8px; font-size: 0.9rem; max-width: 420px; margin: 4px auto 0; }
      .subs select { flex: 1; min-width: 0; min-height: var(--tap); font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; padding: 0 8px; }
      .subs svg { display: block; }
      .subs select:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
      .meta { font-size: 0.85rem; margin-top: 8px; display: grid; gap: 4px; }
      .decision { padding: 6px 10px; border-radius: 8px; background: var(--surface-2); }
      .decision.transcode { border-left: 3px solid var(--accent); }
      .error { color: var(--danger); }
      .empty { text-align: center; padding: 32px 8px; }
      .up-next { display: flex; align-items: center; gap: 8px; max-width: 420px; margin: 4px auto 0; font-size: 0.9rem; }
      .up-next .clip { flex: 1; min-width: 0; }
    `,
  ];

  private control(c: Control) {
    this.dispatchEvent(new CustomEvent<Control>('control', { detail: c, bubbles: true, composed: true }));
  }

  private pickSubtitle(e: Event) {
    const value = (e.target as HTMLSelectElement).value;
    this.dispatchEvent(new CustomEvent<number | null>('subtitle', { detail: value === '' ? null : Number(value), bubbles: true, composed: true }));
  }

  private pickAudio(e: Event) {
    const value = Number((e.target as HTMLSelectElement).value);
    this.dispatchEvent(new CustomEvent<number>('audio-track', { detail: value, bubbles: true, composed: true }));
  }

  /** The list shows what the receiver shows: the session's choice, also after a pick it has not confirmed yet. */
  override updated(): void {
    const select = this.renderRoot.querySelector<HTMLSelectElement>('select.subtitles');
    if (select) select.value = String(this.session?.subtitle ?? '');
    const audio = this.renderRoot.querySelector<HTMLSelectElement>('select.audio-tracks');
    if (audio) audio.value = String(this.session?.audioTrack ?? 0);
  }

  /** A video with more than one audio stream: its languages. */
  private renderAudio(s: SessionSnapshot, disabled: boolean) {
    const tracks = s.audioTracks ?? [];
    if (tracks.length < 2) return nothing;
    return html`<label class="subs">
      <span class="muted">${icons.volume}</span><span class="muted">Audio</span>
      <select class="audio-tracks" ?disabled=${disabled} @change=${this.pickAudio}>
        ${tracks.map((t) => html`<option value=${String(t.index)} ?selected=${t.index === s.audioTrack}>${t.label}</option>`)}
      </select>
    </label>`;
  }

  private renderSubtitles(s: SessionSnapshot, disabled: boolean) {
    const tracks = s.subtitles ?? [];
    if (!tracks.length) return nothing;
    return html`<label class="subs">
      <span class="muted">${icons.subtitles}</span><span class="muted">Subtitles</span>
      <select class="subtitles" ?disabled=${disabled} @change=${this.pickSubtitle}>
        <option value="" ?selected=${s.subtitle == null}>Off</option>
        ${tracks.map((t) => html`<option value=${String(t.index)} ?selected=${t.index === s.subtitle}>${t.label}</option>`)}
      </select>
    </label>`;
  }

  /** The show's next episode the server queued after this one, with ✕ to take it out (queue:remove). */
  private renderUpNext(s: SessionSnapshot, disabled: boolean) {
    const next = s.queue[s.index + 1];
    if (!next?.upNext) return nothing;
    return html`<div class="up-next" data-up-next=${next.entryId}>
      <span class="clip"><span class="muted">Up next:</span> ${next.title}</span>
      <button class="icon-btn" aria-label=${`Remove ${next.title} from up next`} ?disabled=${disabled}
        @click=${() => this.dispatchEvent(new CustomEvent<number>('remove', { detail: next.entryId, bubbles: true, composed: true }))}>${icons.close}</button>
    </div>`;
  }

  override render() {
    const s = this.session;
    const item = s?.item ?? null;
    const name = this.receiver?.name ?? 'No receiver';
    if (!item || !s) {
      return html`<div class="empty muted">
        <p><strong>${name}</strong>${this.receiver && !this.receiver.online ? ' is offline' : ''}</p>
        <p>Nothing playing. Pick something in the library.</p>
      </div>
      <rc-group-members .receiver=${this.receiver} .receivers=${this.receivers} .controller=${this.controller}></rc-group-members>`;
    }
    const playing = s.state === 'playing' || s.state === 'buffering' || s.state === 'loading';
    const decision = decisionText(s.decision);
    const sub = [item.artist, item.album].filter(Boolean).join(' — ');
    const disabled = !this.receiver?.online;
    const repeatIcon = s.repeat === 'one' ? icons.repeatOne : icons.repeat;
    return html`
      <div class="top ${item.kind}">
        <rc-art class="art ${item.kind}" fit=${item.kind === 'video' ? 'contain' : 'cover'} .src=${this.art} icon=${item.kind === 'video' ? 'video' : item.kind === 'photo' ? 'photo' : 'album'}></rc-art>
        <div>
          <h2 class="title">${item.title}</h2>
          ${sub ? html`<p class="sub muted clip">${sub}</p>` : nothing}
        </div>
      </div>
      <rc-progress .timing=${s}></rc-progress>
      <div class="controls">
        <button class="icon-btn toggle" aria-label="Shuffle" aria-pressed=${String(s.shuffle)} ?disabled=${disabled} @click=${() => this.control('shuffle')}>${icons.shuffle}</button>
        <button class="icon-btn" aria-label="Previous" ?disabled=${disabled} @click=${() => this.control('previous')}>${icons.previous}</button>
        <button class="main play-pause" aria-label=${playing ? 'Pause' : 'Play'} ?disabled=${disabled} @click=${() => this.control('toggle')}>${playing ? icons.pause : icons.play}</button>
        <button class="icon-btn" aria-label="Next" ?disabled=${disabled || s.index + 1 >= s.queue.length && s.repeat !== 'all'} @click=${() => this.control('next')}>${icons.next}</button>
        <button class="icon-btn toggle" aria-label=${`Repeat: ${s.repeat}`} aria-pressed=${String(s.repeat !== 'off')} ?disabled=${disabled} @click=${() => this.control('repeat')}>${repeatIcon}</button>
      </div>
      <rc-volume .level=${s.volume.level} .muted=${s.volume.muted} label=${this.receiver?.type === 'group' ? 'Group volume' : 'Volume'} ?disabled=${disabled}></rc-volume>
      ${this.renderAudio(s, disabled)}
      ${this.renderUpNext(s, disabled)}
      ${this.renderSubtitles(s, disabled)}
      <rc-group-members .receiver=${this.receiver} .receivers=${this.receivers} .controller=${this.controller}></rc-group-members>
      <!-- Kept on the page while idle (disabled): the move's answer comes after the session here stopped. -->
      <rc-move-to .receivers=${this.receivers} .current=${this.receiver?.id ?? null} .controller=${this.controller} ?disabled=${disabled || s.state === 'idle'}></rc-move-to>
      <div class="meta">
        <span class="state muted">${stateText[s.state]} on ${name}${s.queue.length > 1 ? ` · ${s.index + 1} of ${s.queue.length}` : ''}</span>
        ${decision ? html`<span class="decision ${s.decision?.kind === 'direct' ? '' : 'transcode'}">${decision}</span>` : nothing}
        ${s.error ? html`<span class="error">${s.error}</span>` : nothing}
      </div>
    `;
  }
}
customElements.define('rc-now-playing', RcNowPlaying);
declare global {
  interface HTMLElementTagNameMap { 'rc-now-playing': RcNowPlaying }
}
