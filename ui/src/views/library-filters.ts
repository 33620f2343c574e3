// Genre, year and sort for the albums and tracks tabs: three selects under the tabs. The genres
// and years offered are the library's own (read once, when one of those tabs is first shown).
import { html, type TemplateResult } from 'lit';
import { getJson } from '../data/library.js';

export interface Narrow {
  genre?: string;
  year?: number;
  sort?: 'name' | 'added' | 'year';
}

export interface FilterChoices {
  genres: string[];
  years: number[];
  /** "2024-07", newest first: months with photos, by date taken. */
  months: string[];
  folders: string[];
}

/** The photo tab's month (timeline) and folder. */
export interface PhotoNarrow {
  month?: string;
  folder?: string;
}

export async function loadFilterChoices(): Promise<FilterChoices> {
  const get = async <T>(url: string) => (await getJson<{ items: T[] }>(url)).items;
  const timeline = fetch('api/library/photos/timeline').then((r) => (r.ok ? (r.json() as Promise<{ months: { month: string }[] }>) : { months: [] }));
  const [genres, years, t, folders] = await Promise.all([get<{ name: string }>('api/library/genres'), get<{ year: number }>('api/library/years'), timeline, get<{ folder: string }>('api/library/photos/folders')]);
  return { genres: genres.map((g) => g.name), years: years.map((y) => y.year), months: t.months.map((m) => m.month), folders: [...new Set(folders.map((f) => f.folder))] };
}

const monthName = (m: string) => new Date(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1).toLocaleDateString(undefined, { month: 'long', year: 'numeric' });

export function photoBar(n: PhotoNarrow, choices: FilterChoices | null, change: (n: PhotoNarrow) => void): TemplateResult {
  const set = (key: keyof PhotoNarrow, value: string | null) => {
    const next = { ...n };
    if (value === null) delete next[key];
    else next[key] = value;
    change(next);
  };
  return html`<div class="narrow">
    <select aria-label="Month taken" data-filter="month" @change=${(e: Event) => set('month', (e.target as HTMLSelectElement).value || null)}>
      <option value="" ?selected=${!n.month}>All dates</option>
      ${(choices?.months ?? []).map((m) => html`<option value=${m} ?selected=${n.month === m}>${monthName(m)}</option>`)}
    </select>
    <select aria-label="Folder" data-filter="folder" @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; set('folder', v === '*' ? null : v); }}>
      <option value="*" ?selected=${n.folder === undefined}>All folders</option>
      ${(choices?.folders ?? []).map((f) => html`<option value=${f} ?selected=${n.folder === f}>${f || 'Top folder'}</option>`)}
    </select>
  </div>`;
}

const SORTS: [value: string, label: string][] = [['', 'Sort: artist'], ['name', 'Sort: name'], ['added', 'Sort: date added'], ['year', 'Sort: year']];

export function filterBar(n: Narrow, choices: FilterChoices | null, change: (n: Narrow) => void): TemplateResult {
  const set = (key: keyof Narrow, value: string) => {
    const next: Narrow = { ...n };
    if (!value) delete next[key];
    else if (key === 'year') next.year = Number(value);
    else (next as Record<string, string>)[key] = value;
    change(next);
  };
  return html`<div class="narrow">
    <select aria-label="Genre" data-filter="genre" @change=${(e: Event) => set('genre', (e.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${!n.genre}>All genres</option>
      ${(choices?.genres ?? []).map((g) => html`<option value=${g} ?selected=${n.genre === g}>${g}</option>`)}
    </select>
    <select aria-label="Year" data-filter="year" @change=${(e: Event) => set('year', (e.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${n.year === undefined}>All years</option>
      ${(choices?.years ?? []).map((y) => html`<option value=${y} ?selected=${n.year === y}>${y}</option>`)}
    </select>
    <select aria-label="Sort" data-filter="sort" @change=${(e: Event) => set('sort', (e.target as HTMLSelectElement).value)}>
      ${SORTS.map(([v, label]) => html`<option value=${v} ?selected=${(n.sort ?? '') === v}>${label}</option>`)}
    </select>
  </div>`;
}
