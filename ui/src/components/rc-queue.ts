// The session's queue, the current entry marked. Tap an entry to play it; ✕ removes it.
// Virtualised: "play artist" can queue thousands.
import { css, html, LitElement } from 'lit';
import { formatTime } from '../data/position.js';
import type { QueueEntry } from '../data/types.js';
import { icons } from './icons.js';
import './rc-virtual-list.js';
import { shared } from './styles.js';

export class RcQueue extends LitElement {
  static override properties = { entries: { attribute: false }, index: { type: Number } };
  declare entries: QueueEntry[];
  declare index: number;

  constructor() {
    super();
    this.entries = [];
    this.index = -1;
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; }
      h3 { margin: 0; padding: 12px 16px 4px; font-size: 0.9rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
      rc-virtual-list { flex: 1; min-height: 120px; }
      .row { display: grid; grid-template-columns: 32px 1fr auto auto; align-items: center; gap: 8px; height: 100%; padding: 0 4px 0 16px; border-bottom: 1px solid var(--border); }
      .row button.entry { display: contents; text-align: left; }
      .n { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 0.85rem; }
      .current { color: var(--accent); font-weight: 600; }
      .current .n { color: var(--accent); }
      .remove { color: var(--muted); }
      .title { font-size: 0.95rem; }
      .artist { font-size: 0.8rem; }
      .dur { font-size: 0.8rem; color: var(--muted); font-variant-numeric: tabular-nums; }
      .empty { padding: 16px; }
    `,
  ];

  private emit(name: 'jump' | 'remove', entryId: number) {
    this.dispatchEvent(new CustomEvent<number>(name, { detail: entryId, bubbles: true, composed: true }));
  }

  private row = (i: number) => {
    const e = this.entries[i];
    if (!e) return html``;
    const current = i === this.index;
    return html`<div class="row ${current ? 'current' : ''}" data-entry=${e.entryId}>
      <button class="entry" aria-label=${`Play ${e.title}`} aria-current=${current ? 'true' : 'false'} @click=${() => this.emit('jump', e.entryId)}>
        <span class="n">${current ? (e.kind === 'video' ? icons.video : icons.nowPlaying) : i + 1}</span>
        <span class="clip"><div class="title clip">${e.title}</div>${e.artist ? html`<div class="artist muted clip">${e.artist}</div>` : ''}</span>
        <span class="dur">${formatTime(e.duration)}</span>
      </button>
      <button class="icon-btn remove" aria-label=${`Remove ${e.title}`} @click=${() => this.emit('remove', e.entryId)}>${icons.close}</button>
    </div>`;
  };

  override render() {
    return html`<h3>Queue${this.entries.length ? ` · ${this.entries.length}` : ''}</h3>
      ${this.entries.length === 0
        ? html`<p class="empty muted">The queue is empty.</p>`
        : html`<rc-virtual-list .count=${this.entries.length} .rowHeight=${56} .renderItem=${this.row} .version=${this.index}></rc-virtual-list>`}`;
  }
}
customElements.define('rc-queue', RcQueue);
declare global {
  interface HTMLElementTagNameMap { 'rc-queue': RcQueue }
}
