// Asks for a receiver's password (AirPlay speakers with pw=true). A native modal <dialog>: focus
// moves into it and stays there, Escape cancels, Enter submits; focus returns to where it was.
// `ask` resolves true once `save` (the server keeping the password) succeeded, false on cancel.
import { css, html, LitElement, nothing } from 'lit';
import { shared } from './styles.js';

export interface PasswordRequest {
  name: string;
  /** The last password was refused. */
  wrong: boolean;
  save(password: string): Promise<unknown>;
}

export class RcPasswordDialog extends LitElement {
  static override properties = { req: { state: true }, busy: { state: true }, error: { state: true }, show: { state: true } };
  declare req: PasswordRequest | null;
  declare busy: boolean;
  declare error: string | null;
  declare show: boolean;
  private done: ((saved: boolean) => void) | null = null;
  private pending: Promise<boolean> | null = null;
  private returnFocus: HTMLElement | null = null;

  constructor() {
    super();
    this.req = null;
    this.busy = false;
    this.error = null;
    this.show = false;
  }

  static override styles = [
    shared,
    css`
      dialog { border: 0; border-radius: var(--radius); padding: 20px; width: min(400px, calc(100vw - 32px)); background: var(--surface); color: var(--fg); box-shadow: 0 12px 40px rgb(0 0 0 / 0.3); }
      dialog::backdrop { background: rgb(0 0 0 / 0.45); }
      h2 { font-size: 1.15rem; margin: 0 0 8px; overflow-wrap: anywhere; }
      p { margin: 0 0 16px; font-size: 0.9rem; }
      label { display: block; font-weight: 600; margin-bottom: 6px; }
      input[type='password'], input[type='text'] { font: inherit; width: 100%; min-height: var(--tap); padding: 8px 12px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); color: var(--fg); }
      input[aria-invalid='true'] { border-color: var(--danger); }
      .error { color: var(--danger); margin: 8px 0 0; }
      .show { display: flex; align-items: center; gap: 8px; font-weight: 400; margin: 12px 0 0; min-height: var(--tap); }
      .show input { width: 20px; height: 20px; accent-color: var(--accent); }
      .buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; flex-wrap: wrap; }
      .buttons button { min-height: var(--tap); padding: 0 18px; border-radius: 22px; font-weight: 600; }
      .buttons .primary { background: var(--accent); color: var(--accent-fg); }
      .buttons .secondary:hover { background: var(--surface-2); }
    `,
  ];

  /** Opens the dialog (or, if it is open, says the password was wrong there). */
  ask(req: PasswordRequest): Promise<boolean> {
    if (this.pending && this.req) {
      this.req = { ...req, wrong: req.wrong || this.req.wrong };
      return this.pending;
    }
    this.returnFocus = deepActive();
    this.req = req;
    this.error = null;
    this.busy = false;
    this.show = false;
    this.pending = new Promise<boolean>((resolve) => (this.done = resolve));
    void this.updateComplete.then(() => {
      const dialog = this.dialog();
      if (dialog && !dialog.open) dialog.showModal();
      this.input()?.focus();
    });
    return this.pending;
  }

  private dialog = () => this.renderRoot.querySelector('dialog');
  private input = () => this.renderRoot.querySelector<HTMLInputElement>('#pw');

  private finish(saved: boolean): void {
    const done = this.done;
    this.done = null;
    this.pending = null;
    const dialog = this.dialog();
    if (dialog?.open) dialog.close();
    this.req = null;
    this.returnFocus?.focus();
    this.returnFocus = null;
    done?.(saved);
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const req = this.req;
    const password = this.input()?.value ?? '';
    if (!req || this.busy) return;
    if (!password) {
      this.error = 'Enter the password';
      return this.input()?.focus();
    }
    this.busy = true;
    this.error = null;
    try {
      await req.save(password);
      this.finish(true);
    } catch (err) {
      this.error = (err as Error).message;
      this.busy = false;
      await this.updateComplete;
      this.input()?.focus();
    }
  }

  override render() {
    const r = this.req;
    const problem = this.error ?? (r?.wrong ? 'Wrong password. Try again.' : null);
    // Escape fires `cancel`: close through finish() so the promise and the focus are settled.
    return html`<dialog aria-labelledby="title" aria-describedby="why" @cancel=${(e: Event) => (e.preventDefault(), this.finish(false))}>
      ${r
        ? html`<form @submit=${(e: Event) => void this.submit(e)} novalidate>
            <h2 id="title">Password for ${r.name}</h2>
            <p id="why" class="muted">${r.name} asks for a password before it plays. The server keeps it for next time.</p>
            <label for="pw">Password</label>
            <input id="pw" name="password" type=${this.show ? 'text' : 'password'} autocomplete="current-password" maxlength="256" required
              aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? 'problem' : nothing} ?disabled=${this.busy} />
            ${problem ? html`<p id="problem" class="error" role="alert">${problem}</p>` : nothing}
            <label class="show"><input type="checkbox" .checked=${this.show} @change=${(e: Event) => (this.show = (e.target as HTMLInputElement).checked)} />Show password</label>
            <div class="buttons">
              <button type="button" class="secondary" @click=${() => this.finish(false)}>Cancel</button>
              <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? 'Saving…' : 'Save'}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}

/** The focused element, looking inside shadow roots (the remote is all web components). */
function deepActive(): HTMLElement | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : null;
}

customElements.define('rc-password-dialog', RcPasswordDialog);
declare global {
  interface HTMLElementTagNameMap { 'rc-password-dialog': RcPasswordDialog }
}
