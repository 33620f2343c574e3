// The limits a playback decision sets (sample rate, bit depth, channels, size, frame rate, tone
// mapping): their URL parameters, how planFromQuery checks them, and the exact ffmpeg arguments.
import { describe, expect, it } from 'vitest';
import { buildTranscodeArgs, type SourceHints } from '../../../server/media/transcode-args.js';
import { planFromQuery, type TranscodePlan } from '../../../server/media/transcode-params.js';

const q = (s: string) => new URLSearchParams(s);
const keyframes = ['-force_key_frames', 'expr:gte(t,n_forced*2)'];
const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', 'subme=0:me_range=16:rc_lookahead=10:me=hex:open_gop=0', '-pix_fmt', 'yuv420p', ...keyframes, '-crf', '23'];
const even = 'force_original_aspect_ratio=decrease:force_divisible_by=2';
const toneMap = 'zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p';
const bt709 = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'];

/** Audio-only output: everything between the codec and the muxer. */
const audioArgs = (plan: TranscodePlan) => {
  const out = buildTranscodeArgs(plan).output;
  return out.slice(out.indexOf('-c:a'), out.lastIndexOf('-f'));
};

describe('audio limits → ffmpeg arguments', () => {
  it.each<[string, TranscodePlan, string[]]>([
    ['sample rate', { container: 'flac', audioCodec: 'flac', sampleRate: 48_000 }, ['-c:a', 'flac', '-ar', '48000']],
    ['FLAC 16-bit', { container: 'flac', audioCodec: 'flac', bitDepth: 16 }, ['-c:a', 'flac', '-sample_fmt', 's16']],
    ['FLAC 24-bit', { container: 'flac', audioCodec: 'flac', bitDepth: 24 }, ['-c:a', 'flac', '-sample_fmt', 's32', '-bits_per_raw_sample:a', '24']],
    ['ALAC 16-bit', { container: 'matroska', audioCodec: 'alac', bitDepth: 16 }, ['-c:a', 'alac', '-sample_fmt', 's16p']],
    ['ALAC 24-bit', { container: 'matroska', audioCodec: 'alac', bitDepth: 24 }, ['-c:a', 'alac', '-sample_fmt', 's32p', '-bits_per_raw_sample:a', '24']],
    ['PCM 24-bit names its depth', { container: 'wav', audioCodec: 'pcm_s24le', bitDepth: 24 }, ['-c:a', 'pcm_s24le']],
    ['PCM 16-bit names its depth', { container: 'wav', audioCodec: 'pcm_s16le', bitDepth: 16 }, ['-c:a', 'pcm_s16le']],
    ['AAC has no bit depth', { container: 'adts', audioCodec: 'aac', bitDepth: 16 }, ['-c:a', 'aac', '-b:a', '192000']],
    ['channels', { container: 'flac', audioCodec: 'flac', channels: 1 }, ['-c:a', 'flac', '-ac', '1']],
    ['MP3 is stereo unless asked for less', { container: 'mp3', audioCodec: 'mp3', channels: 1 }, ['-c:a', 'libmp3lame', '-ac', '1', '-b:a', '256000']],
    ['all three, before the bitrate', { container: 'adts', audioCodec: 'aac', channels: 2, sampleRate: 44_100, bitDepth: 16 }, ['-c:a', 'aac', '-ac', '2', '-ar', '44100', '-b:a', '192000']],
    ['FLAC 96/24 → 48/16 mono', { container: 'flac', audioCodec: 'flac', channels: 1, sampleRate: 48_000, bitDepth: 16 }, ['-c:a', 'flac', '-ac', '1', '-ar', '48000', '-sample_fmt', 's16']],
  ])('%s', (_name, plan, expected) => {
    expect(audioArgs(plan)).toEqual(expected);
  });
});

describe('video limits → ffmpeg arguments', () => {
  const base: TranscodePlan = { container: 'matroska', videoCodec: 'h264', audioCodec: 'aac' };
  const videoArgs = (extra: Partial<TranscodePlan>, source?: SourceHints) => {
    const out = buildTranscodeArgs({ ...base, ...extra }, source).output;
    expect(out.slice(0, 6 + h264.length)).toEqual(['-map', '0:v:0?', '-map', '0:a:0?', '-sn', '-dn', ...h264]);
    expect(out.slice(out.indexOf('-c:a'))).toEqual(['-c:a', 'aac', '-b:a', '192000', '-f', 'matroska']);
    return out.slice(6 + h264.length, out.indexOf('-c:a'));
  };

  it.each<[string, Partial<TranscodePlan>, SourceHints | undefined, string[]]>([
    ['nothing asked, nothing added', {}, undefined, []],
    ['long × short edge box, portrait swaps it', { maxWidth: 1280, maxHeight: 720 }, undefined, ['-vf', `scale=w='if(gte(iw,ih),min(iw,1280),min(iw,720))':h='if(gte(iw,ih),min(ih,720),min(ih,1280))':${even}`]],
    ['square box', { maxWidth: 640, maxHeight: 640 }, undefined, ['-vf', `scale=w='min(iw,640)':h='min(ih,640)':${even}`]],
    ['long edge only', { maxWidth: 1920 }, undefined, ['-vf', `scale=w='if(gte(iw,ih),min(iw,1920),iw)':h='if(gte(iw,ih),ih,min(ih,1920))':${even}`]],
    ['frame rate cap, source rate unknown', { maxFrameRate: 30 }, undefined, ['-fpsmax', '30']],
    ['frame rate cap, faster source', { maxFrameRate: 30 }, { frameRate: 59.94 }, ['-vf', 'fps=30']],
    ['frame rate cap, slower source left alone', { maxFrameRate: 30 }, { frameRate: 25 }, []],
    ['frame rate cap, null rate is unknown', { maxFrameRate: 29.97 }, { frameRate: null }, ['-fpsmax', '29.97']],
    ['tone mapping', { toneMap: true }, undefined, ['-vf', toneMap, ...bt709]],
    ['all: fewer frames, then smaller, then tone mapped', { maxWidth: 640, maxHeight: 360, maxFrameRate: 30, toneMap: true }, { frameRate: 60 }, ['-vf', `fps=30,scale=w='if(gte(iw,ih),min(iw,640),min(iw,360))':h='if(gte(iw,ih),min(ih,360),min(ih,640))':${even},${toneMap}`, ...bt709]],
    ['all, source rate unknown', { maxWidth: 640, maxHeight: 360, maxFrameRate: 30, toneMap: true }, undefined, ['-vf', `scale=w='if(gte(iw,ih),min(iw,640),min(iw,360))':h='if(gte(iw,ih),min(ih,360),min(ih,640))':${even},${toneMap}`, '-fpsmax', '30', ...bt709]],
  ])('%s', (_name, extra, source, expected) => {
    expect(videoArgs(extra, source)).toEqual(expected);
  });

  it('a copied video stream gets no filters', () => {
    expect(buildTranscodeArgs({ container: 'matroska', videoCodec: 'copy', audioCodec: 'copy', maxWidth: 640, toneMap: true }).output).toEqual([
      '-map', '0:v:0?', '-map', '0:a:0?', '-sn', '-dn', '-c:v', 'copy', '-c:a', 'copy', '-f', 'matroska',
    ]);
  });
});

describe('planFromQuery with limits', () => {
  it.each<[string, boolean, TranscodePlan]>([
    ['c=flac&ac=flac&sr=48000&bd=16', false, { container: 'flac', audioCodec: 'flac', sampleRate: 48_000, bitDepth: 16 }],
    ['c=flac&bd=24&ch=2', false, { container: 'flac', audioCodec: 'flac', bitDepth: 24, channels: 2 }],
    ['c=wav&ac=pcm_s24le&bd=24', false, { container: 'wav', audioCodec: 'pcm_s24le', bitDepth: 24 }],
    // Lossy codecs have no bit depth: bd is dropped, not refused (a decision sets it for any codec).
    ['c=aac&bd=24', false, { container: 'adts', audioCodec: 'aac' }],
    // Encoders with a fixed set of rates get the highest one at or below sr.
    ['c=mp3&sr=96000', false, { container: 'mp3', audioCodec: 'mp3', sampleRate: 48_000 }],
    ['c=ogg&ac=opus&sr=44100', false, { container: 'ogg', audioCodec: 'opus', sampleRate: 24_000 }],
    ['c=aac&sr=192000', false, { container: 'adts', audioCodec: 'aac', sampleRate: 96_000 }],
    ['c=flac&sr=88200', false, { container: 'flac', audioCodec: 'flac', sampleRate: 88_200 }],
    // Channels: at most what the encoder writes.
    ['c=mp3&ch=6', false, { container: 'mp3', audioCodec: 'mp3', channels: 2 }],
    ['c=mkv&ac=ac3&ch=8', true, { container: 'matroska', videoCodec: 'h264', audioCodec: 'ac3', channels: 6 }],
    ['c=mp4&vc=h264&mw=640&mh=360&fps=30', true, { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', maxWidth: 640, maxHeight: 360, maxFrameRate: 30 }],
    ['c=mp4&vc=h264&tm=1&fps=29.97', true, { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', maxFrameRate: 29.97, toneMap: true }],
    ['c=mkv&vc=copy&ac=aac&ch=2', true, { container: 'matroska', videoCodec: 'copy', audioCodec: 'aac', channels: 2 }],
    // An audio item asked for with a video target: no picture, so no picture limits.
    ['c=mp4&vc=h264&mw=640&tm=1', false, { container: 'mp4', audioCodec: 'aac' }],
  ])('%s', (query, hasVideo, plan) => {
    expect(planFromQuery(q(query), hasVideo)).toEqual({ ok: true, plan });
  });

  it.each([
    ['c=flac&sr=7999', 'sr'],
    ['c=flac&sr=192001', 'sr'],
    ['c=flac&sr=44.1', 'sr'],
    ['c=flac&bd=20', 'bd'],
    ['c=flac&bd=32', 'bd'], // ffmpeg 5.1 writes FLAC with at most 24 bits
    ['c=mkv&ac=alac&bd=32', 'bd'],
    ['c=wav&bd=24', 'bd'], // pcm_s16le has no 24-bit form
    ['c=wav&ac=pcm_s24le&bd=16', 'bd'],
    ['c=mkv&ac=copy&bd=16', 'bd'],
    ['c=mkv&ac=copy&sr=48000', 'sr'],
    ['c=mkv&ac=ac3&sr=22050', 'sr'], // AC-3 goes no lower than 32 kHz
    ['c=flac&ch=0', 'ch'],
    ['c=flac&ch=9', 'ch'],
    ['c=mp4&mw=15', 'mw'],
    ['c=mp4&mh=7681', 'mh'],
    ['c=mp4&mw=wide', 'mw'],
    ['c=mp4&fps=0', 'fps'],
    ['c=mp4&fps=121', 'fps'],
    ['c=mp4&tm=0', 'tm'],
    ['c=mp4&tm=yes', 'tm'],
    ['c=mp4&vc=copy&mw=640', 'mw'],
    ['c=mkv&vc=copy&tm=1', 'tm'],
    ['c=flac&fps=30', 'fps'], // an audio container has no picture to limit
    ['sr=48000', 'c'],
    ['tm=1', 'c'],
  ])('%s → 400 naming %s', (query, param) => {
    const r = planFromQuery(q(query), true);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.param).toBe(param);
  });

  it('says what to use instead of 24-bit pcm_s16le', () => {
    expect(planFromQuery(q('c=wav&ac=pcm_s16le&bd=24'), false)).toEqual({ ok: false, param: 'bd', message: 'pcm_s16le has no 24-bit form (use ac=pcm_s24le)' });
  });
});
