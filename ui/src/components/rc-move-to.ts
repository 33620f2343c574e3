// "Move to…" in now playing: what plays here goes on on another receiver or group where it is,
// and this one stops. Once moved, this remote follows it there (`choose`).
import { css, html, LitElement, nothing } from 'lit';
import type { Controller } from '../data/actions.js';
import type { Receiver } from '../data/types.js';
import { shared } from './styles.js';

export class RcMoveTo extends LitElement {
  static override properties = { receivers: { attribute: false }, current: {}, controller: { attribute: false }, disabled: { type: Boolean } };
  declare receivers: Receiver[];
  declare current: string | null;
  declare controller: Controller | null;
  declare disabled: boolean;

  constructor() {
    super();
    this.receivers = [];
    this.current = null;
    this.controller = null;
    this.disabled = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; max-width: 420px; margin: 8px auto 0; }
      select { width: 100%; min-height: var(--tap); font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; padding: 0 8px; }
    `,
  ];

  private async move(e: Event) {
    const select = e.target as HTMLSelectElement;
    const to = select.value;
    select.value = '';
    if (!to || !this.controller) return;
    if (await this.controller.moveTo(to)) this.dispatchEvent(new CustomEvent<string>('choose', { detail: to, bubbles: true, composed: true }));
  }

  override render() {
    const targets = this.receivers.filter((r) => r.id !== this.current && r.online);
    if (!targets.length) return nothing;
    // From the page itself ("This device"), the move is to go on watching elsewhere.
    const label = this.current?.startsWith('browser:') ? 'Continue on…' : 'Move to…';
    return html`<select class="move-to" aria-label=${label} ?disabled=${this.disabled || !this.controller} @change=${this.move}>
      <option value="" selected>${label}</option>
      ${targets.map((r) => html`<option value=${r.id}>${r.name}${r.type === 'group' ? ' (group)' : ''}</option>`)}
    </select>`;
  }
}
customElements.define('rc-move-to', RcMoveTo);
declare global {
  interface HTMLElementTagNameMap { 'rc-move-to': RcMoveTo }
}
