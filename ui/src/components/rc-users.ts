// The owner's users list: add a member or guest (a password lets them sign in by name; without one
// they join only through a pairing link made for them), change a role, limit the libraries a user
// sees (e.g. a child's account), choose the receivers a guest may play to, and delete a user
// (their devices are signed out at once). Each user may get their own caps (transcodes at once,
// bandwidth from outside); empty: the server's (Settings, "Limits per user"). Loaded on first use: only the owner ever needs it.
import { css, html, LitElement, nothing } from 'lit';
import { addUser, changeUser, deleteUser, listUsers, newPairing, type AuthUser, type Role } from '../data/auth.js';
import type { Receiver } from '../data/types.js';
import { shared } from './styles.js';

export class RcUsers extends LitElement {
  static override properties = { receivers: { attribute: false }, users: { state: true }, libraries: { state: true }, error: { state: true }, link: { state: true } };
  declare receivers: Receiver[];
  declare users: AuthUser[];
  declare libraries: string[];
  declare error: string | null;
  /** A pairing link just made for a user: shown as text to send them. */
  declare link: { user: string; url: string } | null;

  constructor() {
    super();
    this.receivers = [];
    this.users = [];
    this.libraries = [];
    this.error = null;
    this.link = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    await this.act(async () => {
      this.users = (await listUsers()).items;
      const stats = (await (await fetch('api/library/stats', { cache: 'no-store' })).json()) as { libraries?: { name: string }[] };
      this.libraries = (stats.libraries ?? []).map((l) => l.name);
    });
  }

  private async act(fn: () => Promise<unknown>) {
    try {
      await fn();
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async add(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const password = String(f.get('password') ?? '');
    await this.act(async () => {
      await addUser(String(f.get('name') ?? '').trim(), String(f.get('role')) as Role, password || undefined);
      form.reset();
      await this.load();
    });
  }

  private change(u: AuthUser, change: Parameters<typeof changeUser>[1]) {
    void this.act(async () => {
      await changeUser(u.id, change);
      await this.load();
      this.dispatchEvent(new CustomEvent('changed'));
    });
  }

  private toggle(list: string[] | null, all: string[], item: string, on: boolean): string[] {
    const now = new Set(list ?? all);
    if (on) now.add(item);
    else now.delete(item);
    return [...now];
  }

  private pair(u: AuthUser) {
    void this.act(async () => {
      const p = await newPairing(u.id);
      this.link = { user: u.name, url: new URL(`./#pair=${p.token}`, location.href).href };
    });
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      h3 { margin: 16px 0 8px; font-size: 1rem; }
      .user { border-top: 1px solid var(--border); padding: 8px 0; display: grid; gap: 6px; }
      .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .name { font-weight: 600; flex: 1; min-width: 0; }
      select, input { font: inherit; min-height: var(--tap); padding: 4px 8px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); color: var(--fg); }
      label.check { display: inline-flex; gap: 6px; align-items: center; min-height: var(--tap); font-size: 0.9rem; }
      .btn { min-height: var(--tap); padding: 0 14px; border-radius: 22px; background: var(--surface-2); font-weight: 600; }
      form { display: grid; gap: 8px; margin-top: 8px; }
      .error { color: var(--danger); }
      input.cap { width: 6.5em; }
      .link { font-family: ui-monospace, monospace; font-size: 0.8rem; word-break: break-all; user-select: all; }
    `,
  ];

  private renderUser(u: AuthUser) {
    if (u.role === 'owner') return html`<div class="user"><div class="row"><span class="name clip">${u.name}</span><span class="muted">owner</span></div></div>`;
    return html`<div class="user" data-user=${u.name}>
      <div class="row">
        <span class="name clip">${u.name}</span>
        <select aria-label=${`Role of ${u.name}`} @change=${(e: Event) => this.change(u, { role: (e.target as HTMLSelectElement).value as Role })}>
          ${(['member', 'guest'] as const).map((r) => html`<option value=${r} ?selected=${u.role === r}>${r}</option>`)}
        </select>
        <button class="btn" @click=${() => this.pair(u)}>Pairing link</button>
        <button class="btn delete" aria-label=${`Delete ${u.name}`} @click=${() => void this.act(async () => (await deleteUser(u.id), await this.load(), this.dispatchEvent(new CustomEvent('changed'))))}>Delete</button>
      </div>
      ${this.libraries.length > 1
        ? html`<div class="row libraries"><span class="muted">Sees:</span>${this.libraries.map(
            (l) => html`<label class="check"><input type="checkbox" .checked=${!u.libraries || u.libraries.includes(l)} @change=${(e: Event) => {
              const next = this.toggle(u.libraries, this.libraries, l, (e.target as HTMLInputElement).checked);
              this.change(u, { libraries: next.length === this.libraries.length ? null : next });
            }} />${l}</label>`,
          )}</div>`
        : nothing}
      <div class="row caps">
        <label class="check">Transcodes at once <input type="number" class="cap" min="1" max="64" placeholder="default" aria-label=${`Transcodes at once for ${u.name}`} .value=${u.maxTranscodes ? String(u.maxTranscodes) : ''}
          @change=${(e: Event) => this.change(u, { maxTranscodes: capValue(e) })} /></label>
        <label class="check">From outside, kbit/s <input type="number" class="cap" min="64" max="100000" placeholder="default" aria-label=${`Bandwidth from outside for ${u.name}`} .value=${u.remoteBitrateKbps ? String(u.remoteBitrateKbps) : ''}
          @change=${(e: Event) => this.change(u, { remoteBitrateKbps: capValue(e) })} /></label>
      </div>
      ${u.role === 'guest'
        ? html`<div class="row receivers"><span class="muted">Plays to:</span>${this.receivers.map(
            (r) => html`<label class="check"><input type="checkbox" .checked=${u.receivers.includes(r.id)} @change=${(e: Event) => this.change(u, { receivers: this.toggle(u.receivers, [], r.id, (e.target as HTMLInputElement).checked) })} />${r.name}</label>`,
          )}</div>`
        : nothing}
    </div>`;
  }

  override render() {
    return html`<h3>Users</h3>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.users.map((u) => this.renderUser(u))}
      ${this.link ? html`<p>Send this to ${this.link.user} (works once, within 10 minutes):</p><p class="link">${this.link.url}</p>` : nothing}
      <form @submit=${(e: Event) => void this.add(e)} aria-label="Add a user">
        <div class="row">
          <input name="name" placeholder="Name" aria-label="Name" required maxlength="64" />
          <select name="role" aria-label="Role"><option value="member">member</option><option value="guest">guest</option></select>
        </div>
        <input name="password" type="password" autocomplete="new-password" minlength="8" placeholder="Password (optional)" aria-label="Password (optional)" />
        <button class="btn" type="submit">Add user</button>
      </form>`;
  }
}
/** A cap field's value: empty means the server's default (null). */
const capValue = (e: Event): number | null => {
  const v = (e.target as HTMLInputElement).value.trim();
  return v === '' ? null : Number(v);
};

customElements.define('rc-users', RcUsers);
declare global {
  interface HTMLElementTagNameMap { 'rc-users': RcUsers }
}
