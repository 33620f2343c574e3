// Styles several components share: buttons big enough for a thumb, focus rings, text clipping.
import { css } from 'lit';

export const shared = css`
  :host { box-sizing: border-box; }
  *, *::before, *::after { box-sizing: inherit; }
  button {
    font: inherit; color: inherit; background: none; border: 0; padding: 0; margin: 0; cursor: pointer;
    -webkit-tap-highlight-color: transparent;
  }
  button:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
  button:disabled { opacity: 0.4; cursor: default; }
  .icon-btn {
    display: inline-grid; place-items: center; min-width: var(--tap); min-height: var(--tap); border-radius: 50%;
  }
  .icon-btn:hover:not(:disabled) { background: var(--surface-2); }
  .clip { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
  .muted { color: var(--muted); }
  input[type='range'] { accent-color: var(--accent); width: 100%; margin: 0; height: var(--tap); cursor: pointer; touch-action: none; }
`;
