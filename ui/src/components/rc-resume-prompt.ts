// "Resume from 42:10 / Start over": asked when an item the server kept a position for (a video,
// long audio) is played again. A dialog of its own on the page; the answer plays it.
import { css, html, LitElement } from 'lit';
import type { Controller } from '../data/actions.js';
import { formatTime } from '../data/position.js';
import { playState } from '../data/remembered.js';
import { shared } from './styles.js';

type Answer = 'resume' | 'start' | null;

export class RcResumePrompt extends LitElement {
  static override properties = { heading: {}, position: { type: Number } };
  declare heading: string;
  declare position: number;
  answer: (a: Answer) => void = () => undefined;

  constructor() {
    super();
    this.heading = '';
    this.position = 0;
  }

  static override styles = [
    shared,
    css`
      dialog { border: 0; border-radius: 16px; padding: 20px; min-width: 260px; max-width: 90vw; background: var(--surface); color: var(--fg); }
      dialog::backdrop { background: rgb(0 0 0 / 0.4); }
      h2 { font-size: 1rem; margin: 0 0 14px; }
      .choices { display: flex; flex-direction: column; gap: 8px; }
      .choices button { min-height: 44px; border-radius: 999px; padding: 0 18px; background: var(--surface-2); font-weight: 600; }
      .choices button.primary { background: var(--accent); color: var(--on-accent, #fff); }
    `,
  ];

  override firstUpdated(): void {
    this.renderRoot.querySelector('dialog')!.showModal();
  }

  private pick(a: Answer) {
    this.answer(a);
    this.remove();
  }

  override render() {
    return html`<dialog aria-label=${this.heading} @cancel=${(e: Event) => (e.preventDefault(), this.pick(null))}>
      <h2 class="clip">${this.heading}</h2>
      <div class="choices">
        <button class="primary" data-action="resume" @click=${() => this.pick('resume')}>Resume from ${formatTime(this.position)}</button>
        <button data-action="start-over" @click=${() => this.pick('start')}>Start over</button>
        <button data-action="cancel" @click=${() => this.pick(null)}>Cancel</button>
      </div>
    </dialog>`;
  }
}
customElements.define('rc-resume-prompt', RcResumePrompt);
declare global {
  interface HTMLElementTagNameMap { 'rc-resume-prompt': RcResumePrompt }
}

/** Asks "Resume from … / Start over"; null when the person left it. */
export function askResume(heading: string, position: number): Promise<Answer> {
  return new Promise((resolve) => {
    const el = document.createElement('rc-resume-prompt');
    el.heading = heading;
    el.position = position;
    el.answer = resolve;
    document.body.append(el);
  });
}

/** Plays one item; when the server kept a position for it, the person chooses where it starts. */
export async function playResumable(c: Controller | null, item: { id: number; title: string }): Promise<void> {
  if (!c) return;
  const at = await playState(item.id).then((s) => s.resumePosition, () => null);
  const from = at === null ? 'start' : await askResume(item.title, at);
  if (from) await c.play([item.id], 'replace', 0, from);
}
