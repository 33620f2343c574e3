// The receiver picker page; on a desktop also a QR code that opens this remote on a phone.
// `asking`: a play waits for a pick (the remote never picks for its user), so say so.
import { css, html, LitElement, nothing } from 'lit';
import type { Receiver, SessionSnapshot } from '../data/types.js';
import '../components/rc-device-player.js';
import '../components/rc-phone-link.js';
import '../components/rc-receiver-list.js';
import { shared } from '../components/styles.js';

export class RcReceiversView extends LitElement {
  static override properties = { receivers: { attribute: false }, sessions: { attribute: false }, selected: {}, wide: { type: Boolean }, asking: { type: Boolean } };
  declare receivers: Receiver[];
  declare sessions: Readonly<Record<string, SessionSnapshot>>;
  declare selected: string | null;
  declare wide: boolean;
  declare asking: boolean;

  constructor() {
    super();
    this.receivers = [];
    this.sessions = {};
    this.selected = null;
    this.wide = false;
    this.asking = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; overflow-y: auto; height: 100%; }
      .wrap { max-width: 880px; margin: 0 auto; display: grid; gap: 16px; padding: 12px 0; }
      @media (min-width: 960px) { .wrap { grid-template-columns: 1fr 280px; align-items: start; padding: 16px; } }
      .ask { margin: 0; padding: 0 16px 8px; font-weight: 600; }
      h2 { font-size: 1rem; margin: 0; padding: 8px 16px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
      .card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); overflow: hidden; }
      @media (max-width: 959px) { .card { border-radius: 0; border-left: 0; border-right: 0; } }
    `,
  ];

  override render() {
    return html`<div class="wrap">
      <section class="card">
        <h2>Play on</h2>
        ${this.asking ? html`<p class="ask" role="status">Choose where to play it</p>` : nothing}
        <rc-receiver-list .receivers=${this.receivers} .sessions=${this.sessions} .selected=${this.selected}></rc-receiver-list>
      </section>
      <section class="card"><rc-device-player></rc-device-player></section>
      ${this.wide ? html`<section class="card"><rc-phone-link></rc-phone-link></section>` : nothing}
    </div>`;
  }
}
customElements.define('rc-receivers-view', RcReceiversView);
declare global {
  interface HTMLElementTagNameMap { 'rc-receivers-view': RcReceiversView }
}
