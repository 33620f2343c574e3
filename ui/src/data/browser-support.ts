// What this browser's media element plays, asked of the browser itself (canPlayType, and
// MediaSource.isTypeSupported for HLS through hls.js): the server turns it into this device's
// profile (receivers/browser/profile.ts) and decides per item to play it as is, re-wrap it or
// convert it. Only what the browser says yes to counts ("maybe" is a yes: that is all most say).
import type { CommandArgs } from '../../../server/api/messages.js';

export type BrowserSupport = CommandArgs<'device:register'>['support'];

/** H.264 levels, highest first, as avc1 codec strings name them (hex) and ffprobe numbers them. */
const H264_LEVELS = [52, 51, 50, 42, 41, 40, 32, 31, 30];

/** The browser's languages, most wanted first (navigator.languages): a video starts in the first
 *  it has. Only well-formed tags, as the server takes them (a private-use tag would refuse them all). */
export function browserLanguages(): string[] {
  const all = navigator.languages?.length ? navigator.languages : [navigator.language];
  return all.filter((t) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(t)).slice(0, 10);
}

export function browserSupport(el: HTMLMediaElement = document.createElement('video')): BrowserSupport {
  const can = (t: string) => el.canPlayType(t) !== '';
  const mse = (t: string) => typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(t);
  const containers: BrowserSupport['containers'] = [];
  const add = (name: BrowserSupport['containers'][number], yes: boolean) => yes && containers.push(name);
  add('mp4', can('video/mp4'));
  add('webm', can('video/webm'));
  add('matroska', can('video/x-matroska'));
  add('mpegts', can('video/mp2t'));
  add('ogg', can('audio/ogg'));
  add('mp3', can('audio/mpeg'));
  add('flac', can('audio/flac'));
  add('wav', can('audio/wav'));
  add('adts', can('audio/aac'));
  // Native HLS (Safari, iOS), else hls.js over Media Source Extensions.
  add('hls', can('application/vnd.apple.mpegurl') || mse('video/mp4; codecs="avc1.640028,mp4a.40.2"'));
  const video: BrowserSupport['video'] = [];
  const level = H264_LEVELS.find((l) => can(`video/mp4; codecs="avc1.6400${l.toString(16).toUpperCase()}"`));
  if (can('video/mp4; codecs="avc1.42E01E"')) video.push({ codec: 'h264', ...(level ? { maxLevel: level } : {}) });
  if (can('video/mp4; codecs="hvc1.1.6.L93.B0"')) video.push({ codec: 'hevc' });
  if (can('video/webm; codecs="vp8"')) video.push({ codec: 'vp8' });
  if (can('video/webm; codecs="vp9"')) video.push({ codec: 'vp9' });
  if (can('video/mp4; codecs="av01.0.05M.08"')) video.push({ codec: 'av1' });
  const audio: BrowserSupport['audio'] = [];
  const codecs: [BrowserSupport['audio'][number], string[]][] = [
    ['aac', ['audio/mp4; codecs="mp4a.40.2"']],
    ['mp3', ['audio/mpeg']],
    ['flac', ['audio/flac', 'audio/mp4; codecs="flac"']],
    ['opus', ['audio/ogg; codecs="opus"', 'audio/webm; codecs="opus"']],
    ['vorbis', ['audio/ogg; codecs="vorbis"', 'audio/webm; codecs="vorbis"']],
    ['pcm', ['audio/wav; codecs="1"']],
    ['alac', ['audio/mp4; codecs="alac"']],
    ['ac3', ['audio/mp4; codecs="ac-3"']],
    ['eac3', ['audio/mp4; codecs="ec-3"']],
  ];
  for (const [codec, types] of codecs) if (types.some(can)) audio.push(codec);
  return { containers, video, audio };
}
