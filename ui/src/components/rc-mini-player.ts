// The phone's bar above the tabs: what plays, play/pause, a thin progress line. Tap opens
// the full now-playing view.
import { css, html, LitElement, nothing } from 'lit';
import type { SessionSnapshot } from '../data/types.js';
import { icons } from './icons.js';
import './rc-art.js';
import './rc-progress.js';
import { shared } from './styles.js';

export class RcMiniPlayer extends LitElement {
  static override properties = { session: { attribute: false }, art: {} };
  declare session: SessionSnapshot | null;
  declare art: string | null;

  constructor() {
    super();
    this.session = null;
    this.art = null;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; background: var(--surface); border-top: 1px solid var(--border); }
      .bar { display: grid; grid-template-columns: 44px 1fr auto; gap: 10px; align-items: center; padding: 6px 8px 0 12px; }
      .open { display: contents; text-align: left; }
      rc-art { width: 44px; height: 44px; border-radius: 6px; }
      .title { font-weight: 600; font-size: 0.9rem; }
      .artist { font-size: 0.8rem; }
      rc-progress { margin: 0 12px; }
    `,
  ];

  override render() {
    const s = this.session;
    if (!s?.item) return nothing;
    const playing = s.state === 'playing' || s.state === 'buffering' || s.state === 'loading';
    const open = () => this.dispatchEvent(new CustomEvent('open', { bubbles: true, composed: true }));
    return html`<div class="bar">
        <button class="open" aria-label="Now playing" @click=${open}>
          <rc-art .src=${this.art} icon=${s.item.kind === 'video' ? 'video' : 'album'}></rc-art>
          <span class="clip"><div class="title clip">${s.item.title}</div><div class="artist muted clip">${s.item.artist ?? ''}</div></span>
        </button>
        <button class="icon-btn" aria-label=${playing ? 'Pause' : 'Play'}
          @click=${() => this.dispatchEvent(new CustomEvent('control', { detail: 'toggle', bubbles: true, composed: true }))}>
          ${playing ? icons.pause : icons.play}
        </button>
      </div>
      <rc-progress compact .timing=${s}></rc-progress>`;
  }
}
customElements.define('rc-mini-player', RcMiniPlayer);
declare global {
  interface HTMLElementTagNameMap { 'rc-mini-player': RcMiniPlayer }
}
