// hls.js's light build (no EME, no in-playlist subtitles) has the full build's API; its package exports no types for it.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
