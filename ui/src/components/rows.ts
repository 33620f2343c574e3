// How one library item looks in a list or grid cell. Plain templates, not elements: a screen of
// rows re-renders on every scroll frame and templates are the cheap way to do that.
import { html, nothing, type TemplateResult } from 'lit';
import { resolutionLabel } from '../data/format.js';
import { formatTime } from '../data/position.js';
import type { Album, Artist, Photo, Track, Video } from '../data/types.js';
import { icons } from './icons.js';
import './rc-art.js';

export interface RowHandlers {
  open(i: number): void;
  more(i: number): void;
}

const more = (h: RowHandlers, i: number, label: string) =>
  html`<button class="icon-btn more" aria-label=${`More for ${label}`} @click=${(e: Event) => (e.stopPropagation(), h.more(i))}>${icons.more}</button>`;

export const placeholderRow = (): TemplateResult => html`<div class="row skeleton"><span class="thumb"></span><span class="bars"><i></i><i></i></span></div>`;

export function artistRow(a: Artist, i: number, h: RowHandlers): TemplateResult {
  return html`<div class="row" data-kind="artist">
    <button class="open" @click=${() => h.open(i)}>
      <rc-art class="thumb round" .src=${a.artUrl} icon="person"></rc-art>
      <span class="text"><span class="t1 clip">${a.name}</span>
        <span class="t2 clip">${a.albums} album${a.albums === 1 ? '' : 's'} · ${a.tracks} track${a.tracks === 1 ? '' : 's'}</span></span>
    </button>${more(h, i, a.name)}</div>`;
}

export function albumCell(a: Album, i: number, h: RowHandlers): TemplateResult {
  return html`<div class="cell" data-kind="album">
    <button class="open" aria-label=${`Play ${a.title}`} @click=${() => h.open(i)}>
      <rc-art class="cover" .src=${a.artUrl} icon="album"></rc-art>
      <span class="t1 lines" title=${a.title}>${a.title}</span>
      <span class="t2 clip">${a.artist}${a.year ? ` · ${a.year}` : ''}</span>
    </button>${more(h, i, a.title)}</div>`;
}

export function trackRow(t: Track, i: number, h: RowHandlers, inAlbum: boolean): TemplateResult {
  return html`<div class="row" data-kind="track">
    <button class="open" aria-label=${`Play ${t.title}`} @click=${() => h.open(i)}>
      ${inAlbum ? html`<span class="no">${t.trackNo ?? ''}</span>` : html`<rc-art class="thumb" .src=${t.artUrl} icon="album"></rc-art>`}
      <span class="text"><span class="t1 clip">${t.title}</span>
        <span class="t2 clip">${t.artist}${t.album && !inAlbum ? ` — ${t.album}` : ''}</span></span>
      <span class="dur">${formatTime(t.duration)}</span>
    </button>${more(h, i, t.title)}</div>`;
}

export function videoRow(v: Video, i: number, h: RowHandlers): TemplateResult {
  const facts = [v.year, formatTime(v.duration), resolutionLabel(v), v.hdr ? 'HDR' : null, v.videoCodec?.toUpperCase()].filter(Boolean).join(' · ');
  return html`<div class="row video" data-kind="video">
    <button class="open" aria-label=${`Play ${v.title}`} @click=${() => h.open(i)}>
      <rc-art class="poster" fit="contain" .src=${v.artUrl} icon="video"></rc-art>
      <span class="text"><span class="t1 clip">${v.title}</span><span class="t2 clip">${facts}</span></span>
    </button>${more(h, i, v.title)}</div>`;
}

export function photoCell(p: Photo, i: number, h: RowHandlers): TemplateResult {
  return html`<button class="photo" data-kind="photo" aria-label=${p.title} @click=${() => h.open(i)}>
    <rc-art .src=${p.artUrl} icon="photo"></rc-art>${nothing}
  </button>`;
}
