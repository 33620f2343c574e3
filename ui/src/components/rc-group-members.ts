// Now playing on a group: each member with its state, its own volume and mute, and its delay
// (ms after the others, for a room behind a slow amplifier); a member taken out, or another
// speaker added, while it plays. The group's own volume is the now-playing slider above it;
// these change one member only (group:member, group:remove, group:add).
import { css, html, LitElement, nothing } from 'lit';
import type { Controller } from '../data/actions.js';
import type { GroupMemberState, Receiver } from '../data/types.js';
import './rc-volume.js';
import { icons } from './icons.js';
import { shared } from './styles.js';

// A member's reason for playing unsynced is long (it names the Cast apps tried): its own wrapping line, not the note.
const stateNote = (m: GroupMemberState): string =>
  [m.state === 'gone' || m.state === 'failed' ? m.state : m.state === 'joining' ? 'joining' : '', m.synced || m.unsynced ? '' : 'not in sync', m.error ?? ''].filter(Boolean).join(' · ');

export class RcGroupMembers extends LitElement {
  static override properties = { receiver: { attribute: false }, controller: { attribute: false }, receivers: { attribute: false } };
  declare receiver: Receiver | null;
  /** Every receiver: those not in the group can be added. */
  declare receivers: Receiver[];
  declare controller: Controller | null;

  constructor() {
    super();
    this.receiver = null;
    this.controller = null;
    this.receivers = [];
  }

  static override styles = [
    shared,
    css`
      :host { display: block; max-width: 420px; margin: 8px auto 0; }
      h3 { font-size: 0.85rem; margin: 8px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
      ul { list-style: none; margin: 0; padding: 0; }
      li { border-top: 1px solid var(--border); padding: 4px 0; }
      .head { display: flex; align-items: baseline; gap: 8px; }
      .name { font-weight: 600; }
      .note { font-size: 0.8rem; white-space: nowrap; }
      .head .out { margin-left: auto; flex: none; color: var(--muted); }
      .add select { width: 100%; min-height: var(--tap); font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; padding: 0 8px; margin-top: 8px; }
      .gone .name, .failed .name { color: var(--muted); }
      .why { font-size: 0.8rem; margin: 0; overflow-wrap: anywhere; }
      .delay { display: flex; align-items: center; gap: 6px; font-size: 0.85rem; }
      .delay input { width: 6em; font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; min-height: 36px; padding: 0 8px; }
    `,
  ];

  private set(member: string, change: { level?: number; muted?: boolean; delayMs?: number }) {
    const g = this.receiver;
    if (g && this.controller) void this.controller.group('group:member', { group: g.id, member, ...change });
  }

  private async add(e: Event) {
    const select = e.target as HTMLSelectElement;
    const member = select.value;
    select.value = '';
    if (member && this.receiver && this.controller) await this.controller.group('group:add', { group: this.receiver.id, member });
  }

  override render() {
    const g = this.receiver;
    if (!g || g.type !== 'group') return nothing;
    const disabled = !this.controller;
    const members = g.group ?? [];
    const others = this.receivers.filter((r) => r.type !== 'group' && !members.some((m) => m.id === r.id));
    return html`<h3>Speakers in ${g.name}</h3>
      <ul>${(g.group ?? []).map((m) => {
        const note = stateNote(m);
        return html`<li class=${m.state} data-member=${m.id}>
          <div class="head"><span class="name clip">${m.name}</span>${note ? html`<span class="note muted">${note}</span>` : nothing}
            ${members.length > 1
              ? html`<button class="icon-btn out" aria-label=${`Remove ${m.name} from ${g.name}`} title="Remove from the group" ?disabled=${disabled}
                  @click=${() => void this.controller?.group('group:remove', { group: g.id, member: m.id })}>${icons.close}</button>`
              : nothing}</div>
          ${!m.synced && m.unsynced ? html`<p class="why muted" data-unsynced>not in sync: ${m.unsynced}</p>` : nothing}
          <rc-volume .level=${m.volume} .muted=${m.muted} label=${`Volume of ${m.name}`} ?disabled=${disabled}
            @volume=${(e: CustomEvent<number>) => (e.stopPropagation(), this.set(m.id, { level: e.detail }))}
            @mute=${(e: CustomEvent<boolean>) => (e.stopPropagation(), this.set(m.id, { muted: e.detail }))}></rc-volume>
          <label class="delay muted">Delay
            <input type="number" min="0" max="2000" step="10" inputmode="numeric" aria-label=${`Delay of ${m.name} (ms)`} .value=${String(m.delayMs)} ?disabled=${disabled}
              @change=${(e: Event) => {
                const input = e.target as HTMLInputElement;
                const ms = Math.round(Number(input.value));
                if (Number.isFinite(ms) && ms >= 0 && ms <= 2000) this.set(m.id, { delayMs: ms });
                else input.value = String(m.delayMs);
              }} />ms</label>
        </li>`;
      })}</ul>
      ${others.length
        ? html`<label class="add"><select aria-label=${`Add a speaker to ${g.name}`} ?disabled=${disabled} @change=${this.add}>
            <option value="" selected>Add a speaker…</option>
            ${others.map((r) => html`<option value=${r.id}>${r.name}${r.online ? '' : ' (offline)'}</option>`)}
          </select></label>`
        : nothing}`;
  }
}
customElements.define('rc-group-members', RcGroupMembers);
declare global {
  interface HTMLElementTagNameMap { 'rc-group-members': RcGroupMembers }
}
