// The receiver picker: every receiver with its kind (TV, speaker, group), whether it is online,
// whether it asks for a password (a lock), and what it is playing. Tapping one sends `choose`;
// tapping a locked one that has no password kept sends `need-password` (the password first).
// A group shows its members and each one's state ("not in sync", "gone"), and an edit button
// (`edit-group`).
import { css, html, LitElement, nothing } from 'lit';
import { stateText } from '../data/format.js';
import type { Receiver, SessionSnapshot } from '../data/types.js';
import { icons } from './icons.js';
import { shared } from './styles.js';

const typeLabel = { tv: 'TV', speaker: 'Speaker', group: 'Speaker group' } as const;

export class RcReceiverList extends LitElement {
  static override properties = { receivers: { attribute: false }, sessions: { attribute: false }, selected: {} };
  declare receivers: Receiver[];
  declare sessions: Readonly<Record<string, SessionSnapshot>>;
  declare selected: string | null;

  constructor() {
    super();
    this.receivers = [];
    this.sessions = {};
    this.selected = null;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      ul { list-style: none; margin: 0; padding: 0; }
      li + li { border-top: 1px solid var(--border); }
      li { display: flex; align-items: center; }
      li > button.r { flex: 1; min-width: 0; }
      .edit { margin-right: 8px; flex: none; color: var(--muted); }
      .members { font-size: 0.85rem; white-space: normal; overflow-wrap: anywhere; }
      .members .off { color: var(--danger); }
      button.r { width: 100%; display: grid; grid-template-columns: 48px 1fr auto; gap: 12px; align-items: center; padding: 12px 16px; text-align: left; min-height: 72px; }
      button.r:hover { background: var(--surface-2); }
      .kind { width: 48px; height: 48px; border-radius: 50%; background: var(--surface-2); display: grid; place-items: center; color: var(--muted); position: relative; }
      .dot { position: absolute; right: 2px; bottom: 2px; width: 12px; height: 12px; border-radius: 50%; border: 2px solid var(--surface); background: var(--muted); }
      .online .dot { background: var(--ok); }
      .name { font-weight: 600; }
      .line { font-size: 0.85rem; }
      [aria-checked='true'] { background: color-mix(in srgb, var(--accent) 12%, transparent); }
      [aria-checked='true'] .kind { background: var(--accent); color: var(--accent-fg); }
      .check { color: var(--accent); font-weight: 700; }
      .offline .name { color: var(--muted); }
      .name { display: flex; align-items: center; gap: 4px; }
      .lock { display: inline-flex; flex: none; color: var(--muted); }
      .lock svg { width: 16px; height: 16px; }
      .lock.missing { color: var(--danger); }
      .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
      .empty { padding: 8px 16px 16px; line-height: 1.45; }
      .empty pre { margin: 0; padding: 8px 10px; border-radius: 8px; background: var(--surface-2); color: var(--fg); font-size: 0.8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
    `,
  ];

  private status(r: Receiver): string {
    if (!r.online) return 'Offline';
    const s = this.sessions[r.id];
    if (!s?.item || s.state === 'idle') return r.needsPassword && !r.hasPassword ? 'Idle · tap to give its password' : 'Idle';
    return `${stateText[s.state]}: ${s.item.title}${s.item.artist ? ` — ${s.item.artist}` : ''}`;
  }

  /** Each member with its state when it is not simply there and in step. */
  private renderMembers(r: Receiver) {
    const members = r.group ?? [];
    return html`<div class="members" data-members>${members.map((m, i) => {
      const note = m.state === 'gone' || m.state === 'failed' ? m.state : !m.synced ? 'not in sync' : m.state === 'joining' ? 'joining' : '';
      return html`${i ? ' · ' : ''}<span class="member ${m.state === 'gone' || m.state === 'failed' ? 'off' : ''}" data-member=${m.id}>${m.name}${note ? html` <span class="muted">(${note})</span>` : nothing}</span>`;
    })}</div>`;
  }

  override render() {
    // This page's own player ("This device", id browser:…) is always there: the hint is for when
    // nothing else is.
    const empty = this.receivers.every((r) => r.id.startsWith('browser:'))
      ? html`<div class="empty muted">
        <p><strong>No receivers yet.</strong> Chromecasts, AirPlay speakers and Apple TVs on this network appear here by themselves.</p>
        <p>One that does not (on another network, or where mDNS is blocked) can be added by its address in Settings → Receivers (the owner), or under <code>receivers</code> in the server's config:</p>
        <pre>{"kind": "airplay", "name": "Kitchen", "host": "192.168.1.20"}</pre>
        <p>(<code>"kind": "chromecast"</code> for a Chromecast.)</p>
      </div>`
      : nothing;
    return html`<ul role="radiogroup" aria-label="Receivers">
      ${this.receivers.map((r) => {
        const checked = r.id === this.selected;
        return html`<li>
          <button class="r ${r.online ? 'online' : 'offline'}" role="radio" aria-checked=${String(checked)} data-receiver=${r.id}
            @click=${() => this.dispatchEvent(new CustomEvent<string>(r.needsPassword && !r.hasPassword ? 'need-password' : 'choose', { detail: r.id, bubbles: true, composed: true }))}>
            <span class="kind" title=${typeLabel[r.type]}>${icons[r.type]}<span class="dot"></span></span>
            <span class="clip">
              <div class="name"><span class="clip">${r.name}</span>${r.needsPassword
                ? html`<span class="lock ${r.hasPassword ? 'kept' : 'missing'}" title=${r.hasPassword ? 'Password saved' : 'Needs a password'}>${icons.lock}<span class="sr">${r.hasPassword ? ', password saved' : ', needs a password'}</span></span>`
                : nothing}</div>
              <div class="line muted clip">${typeLabel[r.type]}${r.model ? ` · ${r.modelName ?? r.model}` : ''}</div>
              ${r.type === 'group' ? this.renderMembers(r) : nothing}
              <div class="line status clip">${this.status(r)}</div>
            </span>
            ${checked ? html`<span class="check" aria-hidden="true">✓</span>` : nothing}
          </button>
          ${r.type === 'group'
            ? html`<button class="icon-btn edit" aria-label=${`Edit ${r.name}`} title="Edit group" data-edit-group=${r.id}
                @click=${() => this.dispatchEvent(new CustomEvent<string>('edit-group', { detail: r.id, bubbles: true, composed: true }))}>${icons.more}</button>`
            : nothing}
        </li>`;
      })}
    </ul>${empty}`;
  }
}
customElements.define('rc-receiver-list', RcReceiverList);
declare global {
  interface HTMLElementTagNameMap { 'rc-receiver-list': RcReceiverList }
}
