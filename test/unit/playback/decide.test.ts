import { describe, expect, it } from 'vitest';
import { castProfiles, profileForModel } from '../../../receivers/chromecast/profile.js';
import type { Profile } from '../../../receivers/types.js';
import type { AudioInfo, VideoInfo, VideoStream } from '../../../server/library/probe-types.js';
import { createSigner } from '../../../server/media/signing.js';
import { planFromQuery } from '../../../server/media/transcode-params.js';
import { decide, type Decision } from '../../../server/playback/decide.js';
import { mediaInfoFromTrack, mediaInfoFromVideo, normaliseAudioCodec, normaliseContainer, type MediaInfo } from '../../../server/playback/media-info.js';

// ---- library rows, as the scanner stores them (music-metadata names for audio, ffprobe for video)
type Track = Pick<AudioInfo, 'codec' | 'container' | 'lossless' | 'sampleRate' | 'bitDepth' | 'channels' | 'bitrate'>;
const track = (codec: string | null, container: string | null, lossless: boolean | null, sampleRate: number, bitDepth: number | null, channels = 2, bitrate: number | null = null): MediaInfo =>
  mediaInfoFromTrack({ codec, container, lossless, sampleRate, bitDepth, channels, bitrate } satisfies Track);

const mp3 = track('MPEG 1 Layer 3', 'MPEG', false, 44_100, null, 2, 192_000);
const flac2496 = track('FLAC', 'FLAC', true, 96_000, 24);
const flac24192 = track('FLAC', 'FLAC', true, 192_000, 24);
const flac24176 = track('FLAC', 'FLAC', true, 176_400, 24);
const alac = track('ALAC', 'M4A/isom/iso2', true, 44_100, 16);
const opus = track('Opus', 'Ogg', false, 48_000, null);
const wav = track('PCM', 'WAVE', true, 44_100, 16);
const floatWav = track('IEEE_FLOAT', 'WAVE', true, 48_000, 32);
const wma = track('Windows Media Audio 9.2', 'ASF/audio', false, 44_100, 16);
const aiff16 = track('PCM', 'AIFF', true, 44_100, 16);
const aiff24 = track('PCM', 'AIFF', true, 48_000, 24);
const aacMka = track('AAC', 'EBML/matroska', false, 44_100, null);
const ape = track(null, "Monkey's Audio", true, 44_100, 16);
const mp3Ffprobe = track('mp3', 'mp3', null, 44_100, null, 1); // the scanner's ffprobe fallback (broken tags)

let idx = 0;
const v = (codec: string, profile: string, level: number, width: number, height: number, frameRate: number, bitDepth = 8, hdr: string | null = null): VideoStream =>
  ({ index: idx++, type: 'video', codec, profile, level, width, height, frameRate, pixFmt: bitDepth > 8 ? 'yuv420p10le' : 'yuv420p', bitDepth, hdr });
const a = (codec: string, channels = 2, sampleRate = 48_000): VideoStream => ({ index: idx++, type: 'audio', codec, channels, sampleRate });
const cover: VideoStream = { index: 99, type: 'video', codec: 'mjpeg', width: 600, height: 600 };
const video = (container: string, streams: VideoStream[], bitrate = 8_000_000, subtitles: VideoInfo['subtitles'] = []): MediaInfo =>
  mediaInfoFromVideo({ container, bitrate, videoCodec: streams.find((s) => s.type === 'video')?.codec ?? null, streams, subtitles });

const h264Mp4 = video('mp4', [v('h264', 'High', 40, 1920, 1080, 30), a('aac')]);
const h264p60 = video('mp4', [v('h264', 'High', 42, 1920, 1080, 60), a('aac')]);
const h264Mkv = video('matroska', [v('h264', 'High', 41, 1920, 1080, 23.976), a('aac', 6)]);
const h264Ac3Mp4 = video('mp4', [v('h264', 'High', 40, 1280, 720, 25), a('ac3', 6)]);
const h264FlacMkv = video('matroska', [v('h264', 'Main', 31, 1280, 720, 25), a('flac')]);
const h264High10 = video('mp4', [v('h264', 'High 10', 40, 1920, 1080, 24, 10), a('aac')]);
const portrait = video('mp4', [v('h264', 'High', 40, 1080, 1920, 29.97), a('aac')]);
const silent = video('mp4', [v('h264', 'High', 40, 1280, 720, 30)]);
const hevcAc3Mkv = video('matroska', [v('hevc', 'Main', 120, 1920, 1080, 24), a('ac3', 6)], 8_000_000, [{ source: 'embedded', format: 'subrip', language: 'fra', title: null, streamIndex: 2 }]);
const hevcHdr4k = video('mp4', [v('hevc', 'Main 10', 153, 3840, 2160, 23.976, 10, 'hdr10'), a('aac', 2), cover]);
const hevcDv1080 = video('mp4', [v('hevc', 'Main 10', 123, 1920, 1080, 24, 10, 'dolby-vision'), a('aac')]);
const hevcHlg1080 = video('mp4', [v('hevc', 'Main 10', 123, 1920, 1080, 50, 10, 'hlg'), a('aac')]);
const vp9Webm = video('webm', [v('vp9', 'Profile 0', -99, 1920, 1080, 30), a('opus')]);
const vp9AacMkv = video('matroska', [v('vp9', 'Profile 0', -99, 1920, 1080, 30), a('aac')]);
const av1Mp4 = video('mp4', [v('av1', 'Main', 8, 1920, 1080, 24), a('aac')]);
const mpeg2Ts = video('mpegts', [v('mpeg2video', 'Main', 8, 720, 576, 25), a('mp2')]);
const h264p120 = video('mp4', [v('h264', 'High', 42, 1280, 720, 120), a('aac')]);
const nothing: MediaInfo = { container: 'mp4', bitrate: null, subtitles: [] };

// ---- profiles
const gen1 = profileForModel('Chromecast');
const ultra = profileForModel('Chromecast Ultra');
const gtv4k = profileForModel('Chromecast with Google TV');
const gtvHd = profileForModel('Chromecast HD');
const streamer = profileForModel('Google TV Streamer');
const hub = profileForModel('Google Nest Hub');
const hubMax = profileForModel('Google Nest Hub Max');
const home = profileForModel('Google Home');
const mini = profileForModel('Google Nest Mini');
const castGroup = profileForModel('Google Cast Group');
const shield = profileForModel('SHIELD Android TV');
const capped: Profile = { ...castProfiles.gen1, name: 'Capped TV', maxBitrate: 5_000_000 };
const noH264: Profile = { ...castProfiles.gen1, name: 'VP8 box', videoCodecs: castProfiles.gen1.videoCodecs.filter((c) => c.codec !== 'h264') };
const noWebm: Profile = { ...castProfiles.ultra, name: 'No WebM', containers: castProfiles.ultra.containers.filter((c) => c !== 'webm') };
const mp3Only: Profile = { ...home, name: 'MP3 radio', audioCodecs: [{ codec: 'mp3' }], containers: ['mp3'] };
const G1 = 'Chromecast (1st/2nd gen)';

const direct: Decision = { kind: 'direct', reasons: [] };
const copyMp4 = { container: 'mp4', videoCodec: 'copy', audioCodec: 'copy' } as const;
const toH264 = (maxWidth: number, maxHeight: number, maxFrameRate: number) => ({ container: 'mp4', videoCodec: 'h264', maxWidth, maxHeight, maxFrameRate }) as const;

// [case, media, profile, expected decision]
const rows: [string, MediaInfo, Profile, Decision][] = [
  // audio items
  ['MP3 on Google Home', mp3, home, direct],
  ['MP3 from the ffprobe fallback on 1st/2nd gen', mp3Ffprobe, gen1, direct],
  ['FLAC 24/96 on Google Home', flac2496, home, direct],
  ['FLAC 24/96 on a TV', flac2496, ultra, direct],
  ['FLAC 24/192 on Google Home: down to 96 kHz, still FLAC', flac24192, home,
    { kind: 'audio-transcode', reasons: ["192 kHz audio above Google Home's 96 kHz"], target: { container: 'flac', audioCodec: 'flac', sampleRate: 96_000 } }],
  ['FLAC 24/176.4 on a Cast group: 88.2 kHz keeps the 44.1 family', flac24176, castGroup,
    { kind: 'audio-transcode', reasons: ["176.4 kHz audio above Google Cast Group's 96 kHz"], target: { container: 'flac', audioCodec: 'flac', sampleRate: 88_200 } }],
  ['ALAC M4A on Nest Mini: lossless → FLAC', alac, mini,
    { kind: 'audio-transcode', reasons: ['ALAC audio not supported by Google Nest Mini'], target: { container: 'flac', audioCodec: 'flac' } }],
  ['Opus in Ogg on Nest Hub', opus, hub, direct],
  ['WAV 16-bit on Google Home', wav, home, direct],
  ['float WAV: lossless → 24-bit FLAC', floatWav, home,
    { kind: 'audio-transcode', reasons: ['Floating-point PCM audio not supported by Google Home'], target: { container: 'flac', audioCodec: 'flac', bitDepth: 24 } }],
  ['WMA: lossy → AAC', wma, gen1,
    { kind: 'audio-transcode', reasons: [`ASF container not supported by ${G1}`, `WMA audio not supported by ${G1}`], target: { container: 'adts', audioCodec: 'aac' } }],
  ["Monkey's Audio (no codec name) → FLAC", ape, home,
    { kind: 'audio-transcode', reasons: ["Monkey's Audio container not supported by Google Home", 'APE audio not supported by Google Home'], target: { container: 'flac', audioCodec: 'flac' } }],
  ['AIFF 16-bit: re-wrapped as WAV', aiff16, home,
    { kind: 'remux', reasons: ['AIFF container not supported by Google Home'], target: { container: 'wav', audioCodec: 'pcm_s16le' } }],
  ['AIFF 24-bit: no 24-bit WAV output, so FLAC', aiff24, home,
    { kind: 'audio-transcode', reasons: ['AIFF container not supported by Google Home'], target: { container: 'flac', audioCodec: 'flac' } }],
  ['AAC in Matroska audio: copied into ADTS', aacMka, home,
    { kind: 'remux', reasons: ['Matroska container not supported by Google Home'], target: { container: 'adts', audioCodec: 'copy' } }],
  ['ALAC on a device with neither FLAC nor AAC: MP3', alac, mp3Only,
    { kind: 'audio-transcode', reasons: ['MP4 container not supported by MP3 radio', 'ALAC audio not supported by MP3 radio'], target: { container: 'mp3', audioCodec: 'mp3' } }],
  ['Opus on a device with no format to convert to', opus, { ...mp3Only, containers: [] },
    { kind: 'unplayable', reasons: ['Ogg container not supported by MP3 radio', 'Opus audio not supported by MP3 radio', 'no audio format MP3 radio plays is available'] }],

  // video on video devices
  ['H.264/AAC MP4 1080p30 on 1st/2nd gen', h264Mp4, gen1, direct],
  ['H.264 1080p60 High@4.2 on 1st/2nd gen: 720p60 keeps the motion', h264p60, gen1,
    { kind: 'transcode', reasons: [`H.264 level 4.2 above ${G1}'s 4.1`, `1920x1080 at 60 fps above ${G1}'s 1080p30`], target: { ...toH264(1280, 720, 60), audioCodec: 'copy' } }],
  ['H.264 720p120 on 1st/2nd gen: no mode keeps 120 fps, so the fastest', h264p120, gen1,
    { kind: 'transcode', reasons: [`H.264 level 4.2 above ${G1}'s 4.1`, `1280x720 at 120 fps above ${G1}'s 720p60 / 1080p30`], target: { ...toH264(1280, 720, 60), audioCodec: 'copy' } }],
  ['VP9 in Matroska where WebM is not taken: re-encoded', vp9AacMkv, noWebm,
    { kind: 'transcode', reasons: ['Matroska container not supported by No WebM'], target: { ...toH264(1920, 1080, 60), audioCodec: 'copy' } }],
  ['H.264 1080p60 High@4.2 on 3rd gen', h264p60, profileForModel('Chromecast (3rd gen)'), direct],
  ['H.264 1080p60 on Nest Hub Max: 720p30', h264p60, hubMax,
    { kind: 'transcode', reasons: ["H.264 level 4.2 above Google Nest Hub Max's 4.1", "1920x1080 at 60 fps above Google Nest Hub Max's 720p30"], target: { ...toH264(1280, 720, 30), audioCodec: 'copy' } }],
  ['H.264 in Matroska: remux to MP4', h264Mkv, gen1,
    { kind: 'remux', reasons: [`Matroska container not supported by ${G1}`], target: copyMp4 }],
  ['H.264 + AC-3 in MP4: audio to stereo AAC', h264Ac3Mp4, ultra,
    { kind: 'audio-transcode', reasons: ['AC-3 audio not supported by Chromecast Ultra'], target: { container: 'mp4', videoCodec: 'copy', audioCodec: 'aac', channels: 2 } }],
  ['H.264 + FLAC in Matroska: FLAC cannot go in MP4', h264FlacMkv, gtv4k,
    { kind: 'audio-transcode', reasons: ['Matroska container not supported by Chromecast with Google TV (4K)', 'FLAC audio cannot go in MP4'], target: { container: 'mp4', videoCodec: 'copy', audioCodec: 'aac' } }],
  ['H.264 High 10 on 1st/2nd gen', h264High10, gen1,
    { kind: 'transcode', reasons: [`H.264 profile High 10 not supported by ${G1}`, `10-bit video above ${G1}'s 8-bit`], target: { ...toH264(1920, 1080, 30), audioCodec: 'copy' } }],
  ['portrait 1080x1920 at 29.97 fits 1080p30', portrait, gen1, direct],
  ['silent H.264 in MP4', silent, hub, direct],
  ['HEVC/AC-3 MKV on 1st/2nd gen', hevcAc3Mkv, gen1,
    { kind: 'transcode', reasons: [`HEVC not supported by ${G1}`, `Matroska container not supported by ${G1}`, `AC-3 audio not supported by ${G1}`], target: { ...toH264(1920, 1080, 30), audioCodec: 'aac', channels: 2 } }],
  ['HEVC/AC-3 MKV on Ultra: video copied, audio converted', hevcAc3Mkv, ultra,
    { kind: 'audio-transcode', reasons: ['Matroska container not supported by Chromecast Ultra', 'AC-3 audio not supported by Chromecast Ultra'], target: { container: 'mp4', videoCodec: 'copy', audioCodec: 'aac', channels: 2 } }],
  ['HEVC Main10 HDR10 4K on Ultra', hevcHdr4k, ultra, direct],
  ['HEVC Main10 HDR10 4K on Google TV 4K', hevcHdr4k, gtv4k, direct],
  ['HEVC Main10 HDR10 4K on Google TV HD: level and size', hevcHdr4k, gtvHd,
    { kind: 'transcode', reasons: ["HEVC level 5.1 above Chromecast with Google TV (HD)'s 4.1", "3840x2160 at 24 fps above Chromecast with Google TV (HD)'s 1080p60"], target: { ...toH264(1920, 1080, 60), audioCodec: 'copy' } }],
  ['HEVC Main10 HDR10 4K on 1st/2nd gen', hevcHdr4k, gen1,
    { kind: 'transcode', reasons: [`HEVC not supported by ${G1}`], target: { ...toH264(1920, 1080, 30), audioCodec: 'copy' } }],
  ['Dolby Vision on Google TV HD: tone mapping', hevcDv1080, gtvHd,
    { kind: 'transcode', reasons: ['Dolby Vision not supported by Chromecast with Google TV (HD) (needs tone mapping)'], target: { ...toH264(1920, 1080, 60), audioCodec: 'copy' } }],
  ['HLG plays as SDR where HLG is not listed', hevcHlg1080, ultra, direct],
  ['VP9 WebM on Ultra', vp9Webm, ultra, direct],
  ['VP9 WebM on Nest Hub: 720p60', vp9Webm, hub,
    { kind: 'transcode', reasons: ["1920x1080 at 30 fps above Google Nest Hub's 720p60"], target: { ...toH264(1280, 720, 60), audioCodec: 'aac' } }],
  ['VP9 WebM on 1st/2nd gen', vp9Webm, gen1,
    { kind: 'transcode', reasons: [`VP9 not supported by ${G1}`], target: { ...toH264(1920, 1080, 30), audioCodec: 'aac' } }],
  ['VP9 + AAC in Matroska: WebM with Opus', vp9AacMkv, streamer,
    { kind: 'audio-transcode', reasons: ['Matroska container not supported by Google TV Streamer', 'AAC audio cannot go in WebM'], target: { container: 'webm', videoCodec: 'copy', audioCodec: 'opus' } }],
  ['AV1 on Google TV Streamer', av1Mp4, streamer, direct],
  ['AV1 on Ultra', av1Mp4, ultra,
    { kind: 'transcode', reasons: ['AV1 not supported by Chromecast Ultra'], target: { ...toH264(1920, 1080, 60), audioCodec: 'copy' } }],
  ['MPEG-2/MP2 in MPEG-TS on an unknown TV', mpeg2Ts, shield,
    { kind: 'transcode', reasons: ['MPEG-2 not supported by SHIELD Android TV (as Chromecast 1st/2nd gen)', 'MP2 audio not supported by SHIELD Android TV (as Chromecast 1st/2nd gen)'], target: { ...toH264(1920, 1080, 30), audioCodec: 'aac' } }],
  ['bitrate above the device limit', h264Mp4, capped,
    { kind: 'transcode', reasons: ["bitrate 8 Mbit/s above Capped TV's 5 Mbit/s"], target: { ...toH264(1920, 1080, 30), audioCodec: 'copy', bitrate: 5_000_000 } }],
  ['no H.264 to convert to', hevcAc3Mkv, noH264,
    { kind: 'unplayable', reasons: ['HEVC not supported by VP8 box', 'Matroska container not supported by VP8 box', 'AC-3 audio not supported by VP8 box', 'VP8 box takes no H.264 in MP4 or MPEG-TS to convert to'] }],

  // video to a speaker
  ['H.264/AAC video on Google Home: its AAC copied out', h264Mp4, home,
    { kind: 'remux', reasons: ['Google Home is audio-only: playing just the audio of this video'], target: { container: 'adts', audioCodec: 'copy' } }],
  ['HEVC/AC-3 5.1 MKV on Nest Mini: stereo AAC', hevcAc3Mkv, mini,
    { kind: 'audio-transcode', reasons: ['Google Nest Mini is audio-only: playing just the audio of this video', 'AC-3 audio not supported by Google Nest Mini'], target: { container: 'adts', audioCodec: 'aac', channels: 2 } }],
  ['VP9/Opus WebM on a Cast group: Opus copied into Ogg', vp9Webm, castGroup,
    { kind: 'remux', reasons: ['Google Cast Group is audio-only: playing just the audio of this video'], target: { container: 'ogg', audioCodec: 'copy' } }],
  ['silent video on a speaker', silent, home, { kind: 'unplayable', reasons: ['Google Home is audio-only and this video has no sound'] }],
  ['no stream at all', nothing, gen1, { kind: 'unplayable', reasons: ['no audio or video stream found'] }],
];

describe('decide', () => {
  it.each(rows)('%s', (_case, media, profile, expected) => {
    expect(decide(media, profile)).toEqual(expected);
  });

  it('is pure: the same input gives the same answer and nothing is mutated', () => {
    const before = JSON.stringify([hevcAc3Mkv, gen1]);
    expect(decide(hevcAc3Mkv, gen1)).toEqual(decide(hevcAc3Mkv, gen1));
    expect(JSON.stringify([hevcAc3Mkv, gen1])).toBe(before);
  });

  // The signer puts c/vc/ac/br in the URL; the media route reads them back with planFromQuery.
  const signer = createSigner({ secret: Buffer.alloc(32, 7), ttlSeconds: 3600, now: () => 0 });
  const targets = rows.filter(([, , , d]) => d.target !== undefined);
  it.each(targets)('target of "%s" is accepted by planFromQuery', (_case, media, profile, d) => {
    const t = d.target!;
    const query = new URL(signer.streamUrl(1, t), 'http://x').searchParams;
    const hasVideo = media.video !== undefined;
    const res = planFromQuery(query, hasVideo);
    expect(res.ok).toBe(true);
    if (!res.ok || !res.plan) throw new Error('no plan');
    expect(res.plan.container).toBe(t.container);
    expect(res.plan.audioCodec).toBe(t.audioCodec ?? res.plan.audioCodec);
    // A speaker never gets a picture; a TV gets exactly the video the decision asked for.
    expect(res.plan.videoCodec).toBe(hasVideo && !profile.audioOnly ? t.videoCodec : undefined);
  });
});

describe('media info from library rows', () => {
  it.each([
    ['MPEG', 'mp3'], ['FLAC', 'flac'], ['M4A/isom/iso2', 'mp4'], ['isom/iso2/avc1/mp41', 'mp4'], ['Ogg', 'ogg'], ['WAVE', 'wav'],
    ['EBML/webm', 'webm'], ['EBML/matroska', 'matroska'], ['ADTS/MPEG-4', 'adts'], ['AIFF-C', 'aiff'], ['qt  /qt', 'mov'],
    ['matroska', 'matroska'], ['mpegts', 'mpegts'], ['mov', 'mov'], ['aac', 'adts'], [null, null],
  ] as const)('container %j → %j', (raw, out) => {
    expect(normaliseContainer(raw)).toBe(out);
  });

  it("ffprobe's 'mpeg' is a program stream for video, MP3 for music-metadata", () => {
    expect(normaliseContainer('mpeg', true)).toBe('mpeg');
    expect(normaliseContainer('MPEG')).toBe('mp3');
  });

  it.each([
    ['MPEG 1 Layer 3', 'mp3'], ['MPEG 2.5 Layer 3', 'mp3'], ['MPEG-1 layer 3', 'mp3'], ['MPEG 1 Layer 2', 'mp2'], ['MPEG-4/AAC', 'aac'],
    ['AAC', 'aac'], ['ALAC', 'alac'], ['PCM', 'pcm'], ['pcm_s16le', 'pcm'], ['pcm_s24be', 'pcm'], ['pcm_f32le', 'pcm-float'],
    ['Vorbis I', 'vorbis'], ['OPUS', 'opus'], ['AC-3', 'ac3'], ['E-AC-3', 'eac3'], ['eac3', 'eac3'], ['dts', 'dts'], ['wmav2', 'wma'],
    ['PCM/INT/LIT', 'pcm'], ['MPEG/L3', 'mp3'], ['truehd', 'truehd'], ['', null],
  ] as const)('audio codec %j → %j', (raw, out) => {
    expect(normaliseAudioCodec(raw)).toBe(out);
  });

  it('a track row: codec, depth from the ffprobe name, lossless from the codec when unknown', () => {
    expect(mediaInfoFromTrack({ codec: 'pcm_s24le', container: 'wav', lossless: null, sampleRate: 48_000, bitDepth: null, channels: 2, bitrate: 2_304_000 })).toEqual({
      container: 'wav', bitrate: 2_304_000, subtitles: [],
      audio: { codec: 'pcm', channels: 2, sampleRate: 48_000, bitDepth: 24, lossless: true },
    });
  });

  it('a video row: main picture (not the cover), first audio, subtitles', () => {
    expect(hevcHdr4k.video).toEqual({ codec: 'hevc', profile: 'Main 10', level: 153, width: 3840, height: 2160, frameRate: 23.976, bitDepth: 10, hdr: 'hdr10' });
    expect(hevcAc3Mkv).toMatchObject({ container: 'matroska', bitrate: 8_000_000, audio: { codec: 'ac3', channels: 6, sampleRate: 48_000, bitDepth: null, lossless: false }, subtitles: [{ format: 'subrip', source: 'embedded' }] });
  });
});
