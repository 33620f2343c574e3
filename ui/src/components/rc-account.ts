// "This device" card: who is signed in, sign out, and the signed-in devices (all of them for the
// owner, one's own for others), each of which can be signed out (revoked) at once: its open remote
// is closed by the server. The owner also gets the users list (rc-users, loaded on first use).
import { css, html, LitElement, nothing } from 'lit';
import { listDevices, revokeDevice, signOut, type AuthDevice, type AuthUser } from '../data/auth.js';
import type { Receiver } from '../data/types.js';
import { shared } from './styles.js';

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export class RcAccount extends LitElement {
  static override properties = { user: { attribute: false }, receivers: { attribute: false }, devices: { state: true }, current: { state: true }, error: { state: true }, users: { state: true } };
  declare user: AuthUser | null;
  declare receivers: Receiver[];
  declare devices: AuthDevice[];
  declare current: number | null;
  declare error: string | null;
  /** The owner opened the users list. */
  declare users: boolean;

  constructor() {
    super();
    this.user = null;
    this.receivers = [];
    this.devices = [];
    this.current = null;
    this.error = null;
    this.users = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const d = await listDevices();
      this.devices = d.items;
      this.current = d.current;
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async revoke(d: AuthDevice) {
    try {
      await revokeDevice(d.id);
      if (d.id === this.current) return location.reload();
      await this.load();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async signOut() {
    await signOut().catch(() => undefined);
    location.reload();
  }

  private async openUsers() {
    await import('./rc-users.js');
    this.users = true;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; padding: 16px; }
      h3 { margin: 0 0 8px; font-size: 1rem; }
      .who { display: flex; align-items: center; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
      ul { list-style: none; margin: 8px 0 0; padding: 0; }
      li { display: flex; align-items: center; gap: 8px; min-height: var(--tap); border-top: 1px solid var(--border); padding: 4px 0; }
      li .what { flex: 1; min-width: 0; }
      li .sub { font-size: 0.8rem; }
      .btn { min-height: var(--tap); padding: 0 14px; border-radius: 22px; background: var(--surface-2); font-weight: 600; }
      .error { color: var(--danger); }
    `,
  ];

  override render() {
    const u = this.user;
    if (!u) return nothing;
    return html`<div class="who">
        <h3>Signed in as ${u.name} <span class="muted">(${u.role})</span></h3>
        <button class="btn sign-out" @click=${() => void this.signOut()}>Sign out</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <h3>Devices</h3>
      <ul class="devices">
        ${this.devices.map(
          (d) => html`<li data-device=${d.id}>
            <div class="what">
              <div class="clip">${d.name}${d.id === this.current ? html` <span class="muted">(this one)</span>` : nothing}</div>
              <div class="sub muted clip">${u.role === 'owner' ? `${d.userName} · ` : ''}last seen ${when(d.lastSeenAt)}</div>
            </div>
            <button class="btn revoke" aria-label=${`Sign out ${d.name}`} @click=${() => void this.revoke(d)}>Sign out</button>
          </li>`,
        )}
      </ul>
      ${u.role === 'owner'
        ? this.users
          ? html`<rc-users .receivers=${this.receivers} @changed=${() => void this.load()}></rc-users>`
          : html`<p><button class="btn users" @click=${() => void this.openUsers()}>Users…</button></p>`
        : nothing}`;
  }
}
customElements.define('rc-account', RcAccount);
declare global {
  interface HTMLElementTagNameMap { 'rc-account': RcAccount }
}
