// The page shown instead of the remote until this device is signed in: the first-run owner
// password (from the setup link, or on the server's own machine), else sign-in by name and
// password, with a word on pairing (the owner's QR code signs a phone in without typing).
// Phone-sized: one column, thumb-sized fields. `signed-in` fires once the cookie is set.
import { css, html, LitElement, nothing } from 'lit';
import { setUp, signIn } from '../data/auth.js';
import { shared } from '../components/styles.js';

export class RcSignIn extends LitElement {
  static override properties = { setupToken: {}, message: {}, busy: { state: true }, error: { state: true } };
  /** Set: the first run, the owner chooses a password. */
  declare setupToken: string | null;
  /** Why this page shows (e.g. this device was signed out). */
  declare message: string | null;
  declare busy: boolean;
  declare error: string | null;

  constructor() {
    super();
    this.setupToken = null;
    this.message = null;
    this.busy = false;
    this.error = null;
  }

  static override styles = [
    shared,
    css`
      :host { display: grid; place-items: start center; min-height: 100%; padding: 24px 16px; }
      form { width: min(420px, 100%); background: var(--surface); border-radius: var(--radius); padding: 20px; display: grid; gap: 12px; }
      h1 { font-size: 1.3rem; margin: 0; }
      p { margin: 0; font-size: 0.92rem; }
      label { display: grid; gap: 6px; font-weight: 600; }
      input { font: inherit; min-height: var(--tap); padding: 8px 12px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); color: var(--fg); }
      button[type='submit'] { min-height: var(--tap); border-radius: 22px; font-weight: 600; background: var(--accent); color: var(--accent-fg); }
      .error { color: var(--danger); }
      .note { background: var(--surface-2); padding: 8px 12px; border-radius: 8px; }
    `,
  ];

  private async submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (this.setupToken && password !== String(form.get('again') ?? '')) {
      this.error = 'The two passwords differ.';
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      await (this.setupToken ? setUp(this.setupToken, name || 'Owner', password) : signIn(name, password));
      this.dispatchEvent(new CustomEvent('signed-in', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const setup = !!this.setupToken;
    return html`<form @submit=${(e: Event) => void this.submit(e)} aria-label=${setup ? 'Set up' : 'Sign in'}>
      <h1>${setup ? 'Welcome to homecast' : 'Sign in'}</h1>
      ${this.message ? html`<p class="note" role="status">${this.message}</p>` : nothing}
      ${setup
        ? html`<p>You are the owner of this server. Choose your name and a password (at least 8 characters). Phones in the house then sign in from the QR code, without a password.</p>`
        : html`<p>To use this remote without a password, open the QR code shown in the owner's remote (“Open on your phone”).</p>`}
      <label>Name <input name="name" autocomplete="username" value=${setup ? 'Owner' : ''} required /></label>
      <label>Password <input name="password" type="password" autocomplete=${setup ? 'new-password' : 'current-password'} minlength=${setup ? 8 : 1} required /></label>
      ${setup ? html`<label>Password again <input name="again" type="password" autocomplete="new-password" minlength="8" required /></label>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <button type="submit" ?disabled=${this.busy}>${setup ? 'Set the password' : 'Sign in'}</button>
    </form>`;
  }
}
customElements.define('rc-sign-in', RcSignIn);
declare global {
  interface HTMLElementTagNameMap { 'rc-sign-in': RcSignIn }
}
