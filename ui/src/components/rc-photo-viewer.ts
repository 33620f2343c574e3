// A photo full screen, with what is known about it and a button to show it on the receiver.
import { css, html, LitElement, nothing } from 'lit';
import type { Photo } from '../data/types.js';
import { icons } from './icons.js';
import { shared } from './styles.js';

export class RcPhotoViewer extends LitElement {
  static override properties = { photo: { attribute: false }, receiverName: {} };
  declare photo: Photo | null;
  declare receiverName: string | null;

  constructor() {
    super();
    this.photo = null;
    this.receiverName = null;
  }

  static override styles = [
    shared,
    css`
      :host { position: fixed; inset: 0; z-index: 20; background: #000; color: #fff; display: grid; grid-template-rows: auto minmax(0, 1fr) auto; grid-template-columns: minmax(0, 1fr); }
      header, footer { display: flex; align-items: center; gap: 8px; padding: 8px; padding-top: max(8px, env(safe-area-inset-top)); }
      footer { padding-bottom: max(12px, env(safe-area-inset-bottom)); justify-content: center; }
      .title { flex: 1; font-weight: 600; }
      .facts { font-weight: 400; font-size: 0.85rem; color: #bbb; }
      img { width: 100%; height: 100%; object-fit: contain; min-height: 0; }
      .cast { display: inline-flex; gap: 8px; align-items: center; padding: 10px 18px; border-radius: 999px; background: var(--accent); color: var(--accent-fg); min-height: var(--tap); }
      .icon-btn:hover { background: rgb(255 255 255 / 0.15); }
    `,
  ];

  private onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') this.close();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
  }

  private close() {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  override render() {
    const p = this.photo;
    if (!p) return nothing;
    const when = p.takenAt ? new Date(p.takenAt).toLocaleString() : null;
    const facts = [when, p.cameraModel, p.width && p.height ? `${p.width}×${p.height}` : null].filter(Boolean).join(' · ');
    return html`<header>
        <span class="clip title">${p.title}<div class="facts clip">${facts}</div></span>
        <button class="icon-btn" aria-label="Close" @click=${() => this.close()}>${icons.close}</button>
      </header>
      <img src=${p.streamUrl} alt=${p.title} />
      <footer>
        <button class="cast"
          @click=${() => this.dispatchEvent(new CustomEvent<number>('cast', { detail: p.id, bubbles: true, composed: true }))}>
          ${icons.cast} ${this.receiverName ? `Show on ${this.receiverName}` : 'Show on a receiver…'}
        </button>
      </footer>`;
  }
}
customElements.define('rc-photo-viewer', RcPhotoViewer);
declare global {
  interface HTMLElementTagNameMap { 'rc-photo-viewer': RcPhotoViewer }
}
