// "Open on your phone": a QR code of the address a phone can open, as the server says (its public
// URL, else its LAN address), that address as text and any others. The page's own address is not
// used: it is often localhost. When the server listens on loopback only, no QR code: say so.
// The QR code carries a pairing token (#pair=…): opened on a phone, it signs that phone in once,
// within 10 minutes; a new one is made when it runs out. Guests (who cannot pair) get the plain address.
import { css, html, LitElement, nothing } from 'lit';
import { newPairing, type Pairing } from '../data/auth.js';
import { fetchAddresses } from '../data/server-addresses.js';
import type { ServerAddresses } from '../data/types.js';
import './rc-qr.js';
import { shared } from './styles.js';

export class RcPhoneLink extends LitElement {
  static override properties = { addresses: { state: true }, error: { state: true }, pairing: { state: true } };
  declare addresses: ServerAddresses | null;
  declare error: string | null;
  declare pairing: Pairing | null;
  private renew = 0;

  constructor() {
    super();
    this.addresses = null;
    this.error = null;
    this.pairing = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.renew);
  }

  private pair(): void {
    newPairing().then(
      (p) => {
        this.pairing = p;
        clearTimeout(this.renew);
        this.renew = window.setTimeout(() => this.pair(), Math.max(10_000, p.expiresAt - Date.now() - 30_000));
      },
      () => (this.pairing = null),
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.pair();
    // Asked each time it is shown: the machine's addresses change (Wi-Fi, DHCP).
    fetchAddresses().then(
      (a) => {
        this.addresses = a;
        this.error = null;
      },
      (err: Error) => {
        this.error = err.message;
      },
    );
  }

  static override styles = [
    shared,
    css`
      :host { display: block; padding: 16px; }
      h3 { margin: 0 0 8px; font-size: 1rem; }
      rc-qr { width: 200px; max-width: 100%; margin: 8px auto; }
      .url { font-family: ui-monospace, monospace; font-size: 0.85rem; word-break: break-all; user-select: all; }
      ul { margin: 0; padding-left: 18px; }
      .hint { font-size: 0.8rem; }
    `,
  ];

  private renderBody(a: ServerAddresses) {
    const [url, ...others] = a.urls;
    if (!url) {
      return a.loopbackOnly
        ? html`<p class="hint no-lan">The server listens only on this computer (${a.host}), so a phone cannot open it. To use a phone, set <code>"host"</code> to <code>"0.0.0.0"</code> in the server's config (or <code>HOST=0.0.0.0</code>) and restart it.</p>`
        : html`<p class="hint no-lan">This computer has no network address a phone could open right now. Connect it to your network, then try again.</p>`;
    }
    const link = this.pairing ? `${url}#pair=${this.pairing.token}` : url;
    return html`<rc-qr .text=${link}></rc-qr>
      <p class="url">${url}</p>
      ${this.pairing ? html`<p class="hint muted pairs">Scanned within 10 minutes, this code signs one phone in (as ${this.pairing.user.name}) without a password.</p>` : nothing}
      ${others.length
        ? html`<p class="hint muted">If the phone cannot open it, try:</p>
            <ul class="others">${others.map((u) => html`<li class="url">${u}</li>`)}</ul>`
        : nothing}`;
  }

  override render() {
    return html`<h3>Open on your phone</h3>
      ${this.error ? html`<p class="hint no-lan">${this.error}</p>` : this.addresses ? this.renderBody(this.addresses) : html`<p class="hint muted">…</p>`}`;
  }
}
customElements.define('rc-phone-link', RcPhoneLink);
declare global {
  interface HTMLElementTagNameMap { 'rc-phone-link': RcPhoneLink }
}
