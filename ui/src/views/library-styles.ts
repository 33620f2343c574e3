// Looks of the library's rows and cells (rendered by components/rows.ts inside the view).
import { css } from 'lit';

export const rowStyles = css`
  .row { display: flex; align-items: center; height: 100%; padding-left: 12px; border-bottom: 1px solid var(--border); }
  .row .open { flex: 1; display: flex; align-items: center; gap: 12px; min-width: 0; height: 100%; text-align: left; }
  .row:hover { background: var(--surface-2); }
  .thumb { width: 44px; height: 44px; border-radius: 6px; flex: none; }
  .thumb.round { border-radius: 50%; }
  .poster { width: 112px; aspect-ratio: 16 / 9; border-radius: 6px; flex: none; }
  .no { width: 44px; text-align: center; color: var(--muted); font-variant-numeric: tabular-nums; flex: none; }
  .text { display: flex; flex-direction: column; min-width: 0; flex: 1; gap: 2px; }
  .t1 { font-size: 0.95rem; }
  .t2 { font-size: 0.8rem; color: var(--muted); }
  .dur { font-size: 0.8rem; color: var(--muted); font-variant-numeric: tabular-nums; }
  .more { color: var(--muted); flex: none; }
  .cell { position: relative; height: 100%; padding: 6px; }
  .cell .open { display: flex; flex-direction: column; width: 100%; text-align: left; gap: 2px; }
  .cell .cover { width: 100%; aspect-ratio: 1; border-radius: 10px; margin-bottom: 4px; }
  /* Beside the title's first line: the cover ends 72 px above the cell's bottom (cellExtra 66 + padding). */
  .cell .more { position: absolute; right: 2px; top: calc(100% - 72px); }
  .cell .t1, .cell .t2 { padding-right: 38px; }
  /* A title gets two lines (the cell's height allows for them), then an ellipsis. */
  .cell .lines { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; line-height: 1.25; overflow-wrap: anywhere; }
  .photo { display: block; width: 100%; height: 100%; padding: 2px; }
  .photo rc-art { width: 100%; height: 100%; border-radius: 4px; }
  .skeleton .thumb { background: var(--surface-2); }
  .skeleton .bars { display: grid; gap: 8px; flex: 1; padding-left: 12px; }
  .skeleton i { display: block; height: 10px; border-radius: 5px; background: var(--surface-2); width: 60%; }
  .skeleton i + i { width: 35%; }
`;
