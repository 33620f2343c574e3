// "Open on your phone": a QR code of this page's address and the address as text. When the
// page was opened as localhost, a phone cannot use that address: say so.
import { css, html, LitElement, nothing } from 'lit';
import './rc-qr.js';
import { shared } from './styles.js';

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export class RcPhoneLink extends LitElement {
  static override styles = [
    shared,
    css`
      :host { display: block; padding: 16px; }
      h3 { margin: 0 0 8px; font-size: 1rem; }
      rc-qr { width: 200px; max-width: 100%; margin: 8px auto; }
      .url { font-family: ui-monospace, monospace; font-size: 0.85rem; word-break: break-all; user-select: all; }
      .hint { font-size: 0.8rem; }
    `,
  ];

  override render() {
    const url = location.href.split('#')[0]!;
    const local = LOCAL.test(location.hostname);
    return html`<h3>Open on your phone</h3>
      <rc-qr .text=${url}></rc-qr>
      <p class="url">${url}</p>
      ${local
        ? html`<p class="hint muted">This address only works on this computer. On the phone, use this computer's network address instead of ${location.hostname}, with port ${location.port || '80'}.</p>`
        : nothing}`;
  }
}
customElements.define('rc-phone-link', RcPhoneLink);
declare global {
  interface HTMLElementTagNameMap { 'rc-phone-link': RcPhoneLink }
}
