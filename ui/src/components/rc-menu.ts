// An action sheet: a few choices about one item (play, play next, add to queue...), sliding up
// from the bottom on a phone, a small card on a desktop. Sends `pick` with the choice's id.
import { css, html, LitElement, nothing } from 'lit';
import { shared } from './styles.js';

export interface MenuChoice {
  id: string;
  label: string;
}

export class RcMenu extends LitElement {
  static override properties = { heading: {}, choices: { attribute: false } };
  declare heading: string;
  declare choices: MenuChoice[];

  constructor() {
    super();
    this.heading = '';
    this.choices = [];
  }

  static override styles = [
    shared,
    css`
      :host { position: fixed; inset: 0; z-index: 30; display: grid; align-items: end; justify-items: center; background: rgb(0 0 0 / 0.4); }
      .sheet { width: 100%; max-width: 420px; background: var(--surface); border-radius: 16px 16px 0 0; padding: 8px 0 max(8px, env(safe-area-inset-bottom)); }
      @media (min-width: 600px) { :host { align-items: center; } .sheet { border-radius: 16px; } }
      h3 { margin: 0; padding: 12px 20px; font-size: 1rem; border-bottom: 1px solid var(--border); }
      button { display: block; width: 100%; text-align: left; padding: 0 20px; min-height: 52px; font-size: 1rem; }
      button:hover { background: var(--surface-2); }
      .cancel { color: var(--muted); }
    `,
  ];

  private done(id: string | null) {
    this.dispatchEvent(new CustomEvent<string | null>('pick', { detail: id, bubbles: true, composed: true }));
  }

  override render() {
    if (this.choices.length === 0) return nothing;
    return html`<div class="sheet" role="menu" aria-label=${this.heading} @click=${(e: Event) => e.stopPropagation()}>
      <h3 class="clip">${this.heading}</h3>
      ${this.choices.map((c) => html`<button role="menuitem" @click=${() => this.done(c.id)}>${c.label}</button>`)}
      <button class="cancel" @click=${() => this.done(null)}>Cancel</button>
    </div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('click', this.backdrop);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('click', this.backdrop);
  }

  private backdrop = () => this.done(null);
}
customElements.define('rc-menu', RcMenu);
declare global {
  interface HTMLElementTagNameMap { 'rc-menu': RcMenu }
}
