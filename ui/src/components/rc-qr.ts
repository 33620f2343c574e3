// A QR code of a URL, drawn as SVG in the browser; the encoder loads only when one is shown.
import { css, html, LitElement, svg } from 'lit';

export class RcQr extends LitElement {
  static override properties = { text: {}, path: { state: true }, size: { state: true } };
  declare text: string;
  declare path: string;
  declare size: number;

  constructor() {
    super();
    this.text = '';
    this.path = '';
    this.size = 0;
  }

  static override styles = css`
    :host { display: block; }
    svg { display: block; width: 100%; height: auto; background: #fff; border-radius: 8px; }
  `;

  override async willUpdate(changed: Map<string, unknown>): Promise<void> {
    if (!changed.has('text') || !this.text) return;
    const text = this.text;
    const { default: qrcode } = await import('qrcode-generator');
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    if (text !== this.text) return;
    const n = qr.getModuleCount();
    let d = '';
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
    this.size = n + 8;
    this.path = d;
  }

  override render() {
    if (!this.path) return html`<svg viewBox="0 0 1 1" role="img" aria-label="QR code loading"></svg>`;
    return html`<svg viewBox="0 0 ${this.size} ${this.size}" role="img" aria-label=${`QR code for ${this.text}`} shape-rendering="crispEdges">
      ${svg`<path d=${this.path} fill="#000"></path>`}
    </svg>`;
  }
}
customElements.define('rc-qr', RcQr);
declare global {
  interface HTMLElementTagNameMap { 'rc-qr': RcQr }
}
