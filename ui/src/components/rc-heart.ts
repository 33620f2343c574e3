// The heart: marks a track, album or video as a favourite (and takes it off), on the server.
import { css, html, LitElement, svg } from 'lit';
import { setFavourite, type FavouriteKind } from '../data/remembered.js';
import { shared } from './styles.js';

const HEART = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="22" height="22"><path d="M12 21s-7.5-4.6-9.6-9.3C.9 8.3 3 4.5 6.8 4.5c2.1 0 3.5 1.1 4.3 2.4h1.8c.8-1.3 2.2-2.4 4.3-2.4 3.8 0 5.9 3.8 4.4 7.2C19.5 16.4 12 21 12 21z"></path></svg>`;

export class RcHeart extends LitElement {
  static override properties = { kind: {}, itemId: { type: Number }, on: { type: Boolean, reflect: true }, label: {} };
  declare kind: FavouriteKind;
  declare itemId: number;
  declare on: boolean;
  declare label: string;

  constructor() {
    super();
    this.kind = 'track';
    this.itemId = 0;
    this.on = false;
    this.label = '';
  }

  static override styles = [
    shared,
    css`
      button { display: grid; place-items: center; min-width: 44px; min-height: 44px; color: var(--muted); }
      path { fill: none; stroke: currentColor; stroke-width: 2; }
      :host([on]) button { color: var(--danger, #e11d48); }
      :host([on]) path { fill: currentColor; }
    `,
  ];

  private async toggle(e: Event) {
    e.stopPropagation();
    const on = !this.on;
    this.on = on;
    try {
      await setFavourite(this.kind, this.itemId, on);
      this.dispatchEvent(new CustomEvent('favourite', { detail: on, bubbles: true, composed: true }));
    } catch {
      this.on = !on; // the server said no: the heart shows what it keeps
    }
  }

  override render() {
    const name = this.label || 'this';
    return html`<button aria-pressed=${String(this.on)} aria-label=${this.on ? `Remove ${name} from favourites` : `Add ${name} to favourites`} @click=${this.toggle}>${HEART}</button>`;
  }
}
customElements.define('rc-heart', RcHeart);
declare global {
  interface HTMLElementTagNameMap { 'rc-heart': RcHeart }
}
