// Makes a group (pick speakers, name it) or edits one (rename, add and remove members, delete).
// Saving sends the group commands one by one (adds before removes, so a group is never left
// empty) and stops at the first the server refuses: its words go to the toast and the form stays.
// Sends `done` when the group is saved, deleted, or the user cancels.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Controller } from '../data/actions.js';
import type { Receiver } from '../data/types.js';
import { shared } from './styles.js';

export class RcGroupEditor extends LitElement {
  static override properties = {
    receivers: { attribute: false },
    group: { attribute: false },
    controller: { attribute: false },
    name: { state: true },
    picked: { state: true },
    problem: { state: true },
    busy: { state: true },
    confirming: { state: true },
  };
  declare receivers: Receiver[];
  /** The group edited; null: a new one. */
  declare group: Receiver | null;
  declare controller: Controller | null;
  declare name: string;
  declare picked: ReadonlySet<string>;
  declare problem: string | null;
  declare busy: boolean;
  declare confirming: boolean;

  constructor() {
    super();
    this.receivers = [];
    this.group = null;
    this.controller = null;
    this.name = '';
    this.picked = new Set();
    this.problem = null;
    this.busy = false;
    this.confirming = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; padding: 0 16px 16px; }
      form { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
      label.name { display: grid; gap: 4px; font-weight: 600; }
      input[type='text'] { font: inherit; color: inherit; background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; min-height: var(--tap); padding: 0 10px; width: 100%; }
      /* A fieldset is as wide as its widest content unless told otherwise: long names would push it off a phone. */
      fieldset { border: 0; margin: 0; padding: 0; display: grid; min-inline-size: 0; }
      legend { font-weight: 600; padding: 0 0 4px; }
      .pick { display: flex; align-items: center; gap: 12px; min-height: var(--tap); border-top: 1px solid var(--border); }
      .pick input { width: 20px; height: 20px; accent-color: var(--accent); flex: none; }
      .actions { display: flex; flex-wrap: wrap; gap: 8px; }
      .actions button { min-height: var(--tap); padding: 0 16px; border-radius: 999px; background: var(--surface-2); }
      .actions .primary { background: var(--accent); color: var(--accent-fg); font-weight: 600; }
      .actions .danger { color: var(--danger); margin-left: auto; }
      .problem { color: var(--danger); margin: 0; }
    `,
  ];

  /** The group the form was filled from: pushes of that group (a new object) keep the user's edits. */
  private filledFrom: string | null | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    const id = this.group?.id ?? null;
    if (changed.has('group') && id !== this.filledFrom) {
      this.filledFrom = id;
      this.name = this.group?.name ?? '';
      this.picked = new Set(this.group?.members ?? []);
      this.problem = null;
      this.confirming = false;
    }
  }

  private toggle(id: string, on: boolean) {
    const next = new Set(this.picked);
    if (on) next.add(id);
    else next.delete(id);
    this.picked = next;
  }

  private done() {
    this.dispatchEvent(new CustomEvent('done', { bubbles: true, composed: true }));
  }

  private async save(e: Event) {
    e.preventDefault();
    const ctl = this.controller;
    const name = this.name.trim();
    if (!name) return void (this.problem = 'Give the group a name');
    if (this.picked.size === 0) return void (this.problem = 'Pick at least one speaker');
    if (!ctl) return;
    this.problem = null;
    this.busy = true;
    try {
      const g = this.group;
      if (!g) {
        if (await ctl.group('group:create', { name, members: [...this.picked] })) this.done();
        return;
      }
      const before = new Set(g.members ?? []);
      if (name !== g.name && !(await ctl.group('group:rename', { group: g.id, name }))) return;
      for (const id of this.picked) if (!before.has(id) && !(await ctl.group('group:add', { group: g.id, member: id }))) return;
      for (const id of before) if (!this.picked.has(id) && !(await ctl.group('group:remove', { group: g.id, member: id }))) return;
      this.done();
    } finally {
      this.busy = false;
    }
  }

  private async deleteGroup() {
    const g = this.group;
    if (!g || !this.controller) return;
    // A second tap deletes: no dialog on a phone.
    if (!this.confirming) return void (this.confirming = true);
    this.busy = true;
    try {
      if (await this.controller.group('group:delete', { group: g.id })) this.done();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const singles = this.receivers.filter((r) => r.type !== 'group');
    const g = this.group;
    return html`<form @submit=${this.save} aria-label=${g ? `Edit ${g.name}` : 'New group'}>
      <label class="name">Name
        <input type="text" name="group-name" maxlength="100" autocomplete="off" placeholder="Downstairs" .value=${this.name}
          @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
      </label>
      <fieldset>
        <legend>Speakers</legend>
        ${singles.map((r) => html`<label class="pick">
          <input type="checkbox" data-pick=${r.id} .checked=${this.picked.has(r.id)} @change=${(e: Event) => this.toggle(r.id, (e.target as HTMLInputElement).checked)} />
          <span class="clip">${r.name}</span>${r.online ? nothing : html`<span class="muted">offline</span>`}
        </label>`)}
      </fieldset>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${g ? 'Save' : 'Create group'}</button>
        <button type="button" @click=${() => this.done()}>Cancel</button>
        ${g ? html`<button type="button" class="danger" ?disabled=${this.busy} @click=${() => void this.deleteGroup()}>${this.confirming ? `Delete ${g.name}?` : 'Delete group'}</button>` : nothing}
      </div>
    </form>`;
  }
}
customElements.define('rc-group-editor', RcGroupEditor);
declare global {
  interface HTMLElementTagNameMap { 'rc-group-editor': RcGroupEditor }
}
