// The receiver picker page; on a desktop also a QR code that opens this remote on a phone.
// `asking`: a play waits for a pick (the remote never picks for its user), so say so.
// "New group" and a group's edit button open the group editor in place of the list.
import { css, html, LitElement, nothing } from 'lit';
import type { Controller } from '../data/actions.js';
import type { AuthUser } from '../data/auth.js';
import '../components/rc-account.js';
import type { Receiver, SessionSnapshot } from '../data/types.js';
import '../components/rc-device-player.js';
import '../components/rc-group-editor.js';
import '../components/rc-phone-link.js';
import '../components/rc-receiver-list.js';
import { icons } from '../components/icons.js';
import { shared } from '../components/styles.js';

export class RcReceiversView extends LitElement {
  static override properties = {
    receivers: { attribute: false }, sessions: { attribute: false }, selected: {}, wide: { type: Boolean }, asking: { type: Boolean },
    controller: { attribute: false }, editing: { state: true }, user: { attribute: false },
  };
  /** Who is signed in here: their devices (and, for the owner, the users) are listed below. */
  declare user: AuthUser | null;
  declare receivers: Receiver[];
  declare sessions: Readonly<Record<string, SessionSnapshot>>;
  declare selected: string | null;
  declare wide: boolean;
  declare asking: boolean;
  declare controller: Controller | null;
  /** The group being edited (its id), 'new' for a new one, null: the list. */
  declare editing: string | null;

  constructor() {
    super();
    this.receivers = [];
    this.sessions = {};
    this.selected = null;
    this.wide = false;
    this.asking = false;
    this.controller = null;
    this.editing = null;
    this.user = null;
    this.addEventListener('edit-group', (e) => (this.editing = (e as CustomEvent<string>).detail));
    this.addEventListener('done', () => (this.editing = null));
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
      .new-group { display: flex; align-items: center; gap: 8px; width: 100%; min-height: 56px; padding: 0 16px; border-top: 1px solid var(--border); color: var(--accent); font-weight: 600; }
    `,
  ];

  private renderPicker() {
    if (this.editing !== null) {
      const group = this.receivers.find((r) => r.id === this.editing) ?? null;
      // The group went (deleted on another remote) while it was edited here: back to the list.
      if (this.editing !== 'new' && !group) return this.renderList();
      return html`<h2>${group ? `Edit ${group.name}` : 'New group'}</h2>
        <rc-group-editor .receivers=${this.receivers} .group=${group} .controller=${this.controller}></rc-group-editor>`;
    }
    return this.renderList();
  }

  private renderList() {
    return html`<h2>Play on</h2>
      ${this.asking ? html`<p class="ask" role="status">Choose where to play it</p>` : nothing}
      <rc-receiver-list .receivers=${this.receivers} .sessions=${this.sessions} .selected=${this.selected}></rc-receiver-list>
      ${this.receivers.some((r) => r.type !== 'group') ? html`<button class="new-group" @click=${() => (this.editing = 'new')}>${icons.group}New group</button>` : nothing}`;
  }

  override render() {
    return html`<div class="wrap">
      <section class="card">${this.renderPicker()}</section>
      <section class="card"><rc-device-player></rc-device-player></section>
      ${this.wide ? html`<section class="card"><rc-phone-link></rc-phone-link></section>` : nothing}
      ${this.user ? html`<section class="card"><rc-account .user=${this.user} .receivers=${this.receivers}></rc-account></section>` : nothing}
    </div>`;
  }
}
customElements.define('rc-receivers-view', RcReceiversView);
declare global {
  interface HTMLElementTagNameMap { 'rc-receivers-view': RcReceiversView }
}
