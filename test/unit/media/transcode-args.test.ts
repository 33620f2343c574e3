import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildTranscodeArgs } from '../../../server/media/transcode-args.js';
import { planFromQuery, planMime } from '../../../server/media/transcode-params.js';
import { thumbnailArgs } from '../../../server/media/thumbnail.js';
import { buildCommand } from '../../../server/media/transcode.js';

const head = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
const keyframes = ['-force_key_frames', 'expr:gte(t,n_forced*2)'];
const q = (s: string) => new URLSearchParams(s);

describe('buildTranscodeArgs', () => {
  it('video to fragmented MP4, H.264/AAC at a total bitrate, seeking on the input', () => {
    expect(buildTranscodeArgs({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', bitrate: 4_000_000, start: 12.5 })).toEqual({
      input: [...head, '-ss', '12.5'],
      output: [
        '-map', '0:v:0?', '-map', '0:a:0?', '-sn', '-dn',
        '-c:v', 'libx264', '-preset', 'veryfast', '-x264-params', 'subme=0:me_range=16:rc_lookahead=10:me=hex:open_gop=0', '-pix_fmt', 'yuv420p', ...keyframes,
        '-b:v', '3808000', '-maxrate', '3808000', '-bufsize', '7616000',
        '-c:a', 'aac', '-b:a', '192000',
        '-movflags', 'frag_keyframe+empty_moov+default_base_moof',
        '-f', 'mp4',
      ],
    });
  });

  it('HEVC in MP4 gets the hvc1 tag; quality mode without a bitrate', () => {
    expect(buildTranscodeArgs({ container: 'mp4', videoCodec: 'hevc', audioCodec: 'copy' }).output).toEqual([
      '-map', '0:v:0?', '-map', '0:a:0?', '-sn', '-dn',
      '-c:v', 'libx265', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-x265-params', 'log-level=error', ...keyframes,
      '-crf', '28',
      '-c:a', 'copy',
      '-movflags', 'frag_keyframe+empty_moov+default_base_moof',
      '-tag:v', 'hvc1',
      '-f', 'mp4',
    ]);
  });

  it('copied HEVC in MP4 is tagged hvc1 too; copied H.264 is left alone', () => {
    expect(buildTranscodeArgs({ container: 'mp4', videoCodec: 'copy', audioCodec: 'aac' }, { videoCodec: 'hevc' }).output).toContain('hvc1');
    expect(buildTranscodeArgs({ container: 'mp4', videoCodec: 'copy', audioCodec: 'aac' }, { videoCodec: 'h264' }).output).not.toContain('-tag:v');
    expect(buildTranscodeArgs({ container: 'mp4', videoCodec: 'copy', audioCodec: 'aac' }).output).not.toContain('-tag:v');
  });

  it('WebM VP9/Opus in realtime mode', () => {
    expect(buildTranscodeArgs({ container: 'webm', videoCodec: 'vp9', audioCodec: 'opus' })).toEqual({
      input: head,
      output: [
        '-map', '0:v:0?', '-map', '0:a:0?', '-sn', '-dn',
        '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', ...keyframes,
        '-crf', '32', '-b:v', '0',
        '-c:a', 'libopus', '-b:a', '128000',
        '-f', 'webm',
      ],
    });
  });

  it('remux to Matroska copies both streams', () => {
    expect(buildTranscodeArgs({ container: 'matroska', videoCodec: 'copy', audioCodec: 'copy' }).output).toEqual([
      '-map', '0:v:0?', '-map', '0:a:0?', '-sn', '-dn', '-c:v', 'copy', '-c:a', 'copy', '-f', 'matroska',
    ]);
  });

  it('audio only: MP3 at a bitrate clamped to LAME’s range, stereo', () => {
    expect(buildTranscodeArgs({ container: 'mp3', audioCodec: 'mp3', bitrate: 500_000, start: 30 })).toEqual({
      input: [...head, '-ss', '30'],
      output: ['-map', '0:a:0?', '-vn', '-sn', '-dn', '-c:a', 'libmp3lame', '-ac', '2', '-b:a', '320000', '-f', 'mp3'],
    });
  });

  it('lossless audio has no bitrate', () => {
    expect(buildTranscodeArgs({ container: 'flac', audioCodec: 'flac', bitrate: 900_000 }).output).toEqual(['-map', '0:a:0?', '-vn', '-sn', '-dn', '-c:a', 'flac', '-f', 'flac']);
    expect(buildTranscodeArgs({ container: 'wav', audioCodec: 'pcm_s16le' }).output).toEqual(['-map', '0:a:0?', '-vn', '-sn', '-dn', '-c:a', 'pcm_s16le', '-f', 'wav']);
    expect(buildTranscodeArgs({ container: 'adts', audioCodec: 'aac' }).output).toEqual(['-map', '0:a:0?', '-vn', '-sn', '-dn', '-c:a', 'aac', '-b:a', '192000', '-f', 'adts']);
  });

  it('fluent-ffmpeg passes exactly `input -i path output pipe:1`', () => {
    const args = buildTranscodeArgs({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', start: 3 });
    const cmd = buildCommand('/usr/bin/ffmpeg', '/proc/1/fd/9', args).output(new PassThrough());
    expect(cmd._getArguments()).toEqual([...args.input, '-i', '/proc/1/fd/9', ...args.output, 'pipe:1']);
  });
});

describe('planFromQuery', () => {
  it('no c → direct play', () => {
    expect(planFromQuery(q('exp=1&sig=x'), true)).toEqual({ ok: true });
  });

  it('fills container defaults; audio items never get video', () => {
    expect(planFromQuery(q('c=mkv&start=10'), true)).toEqual({ ok: true, plan: { container: 'matroska', videoCodec: 'h264', audioCodec: 'aac', start: 10 } });
    expect(planFromQuery(q('c=webm'), true)).toEqual({ ok: true, plan: { container: 'webm', videoCodec: 'vp9', audioCodec: 'opus' } });
    expect(planFromQuery(q('c=mp4&vc=h264&ac=aac&br=128000'), false)).toEqual({ ok: true, plan: { container: 'mp4', audioCodec: 'aac', bitrate: 128000 } });
    expect(planFromQuery(q('c=aac'), true)).toEqual({ ok: true, plan: { container: 'adts', audioCodec: 'aac' } });
  });

  it.each([
    ['c=avi', 'c'],
    ['c=mp4&vc=mpeg2', 'vc'],
    ['c=mp4&ac=wma', 'ac'],
    ['c=mp4&br=fast', 'br'],
    ['c=mp4&br=10', 'br'],
    ['c=mp4&start=-1', 'start'],
    ['c=mp4&start=abc', 'start'],
    ['c=mp4&start=0x10', 'start'],
    ['c=mp4&start=1e3', 'start'],
    ['c=mp4&start=NaN', 'start'],
    ['c=mp4&start=Infinity', 'start'],
    ['c=mp4&start=+5', 'start'],
    ['c=mp4&start=.5', 'start'],
    ['c=mp4&start=', 'start'],
    ['c=mp4&start=604801', 'start'],
    ['start=5', 'c'],
    ['c=webm&vc=h264', 'vc'],
    ['c=mp3&ac=aac', 'ac'],
    ['c=flac&vc=h264', 'vc'],
    ['vc=h264', 'c'],
  ])('%s → 400 naming %s', (query, param) => {
    const r = planFromQuery(q(query), true);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.param).toBe(param);
  });

  it('start: plain decimal seconds, at most the duration when it is known', () => {
    expect(planFromQuery(q('c=mp3&start=12.5'), false, 30)).toEqual({ ok: true, plan: { container: 'mp3', audioCodec: 'mp3', start: 12.5 } });
    expect(planFromQuery(q('c=mp3&start=30'), false, 30)).toMatchObject({ ok: true, plan: { start: 30 } });
    expect(planFromQuery(q('c=mp3&start=30.001'), false, 30.0005)).toMatchObject({ ok: true, plan: { start: 30.001 } }); // the end, rounded as URLs carry it
    expect(planFromQuery(q('c=mp3&start=30.5'), false, 30)).toEqual({ ok: false, param: 'start', message: '30.5 s is past the end of the item (30 s)' });
    expect(planFromQuery(q('c=mp3&start=5000'), false, null)).toMatchObject({ ok: true, plan: { start: 5000 } });
    expect(planFromQuery(q('c=mp3&start=0x10'), false, 30)).toEqual({ ok: false, param: 'start', message: 'must be plain decimal seconds, e.g. 12.5' });
  });

  it('mime follows container and whether video is kept', () => {
    expect(planMime({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac' })).toBe('video/mp4');
    expect(planMime({ container: 'mp4', audioCodec: 'aac' })).toBe('audio/mp4');
    expect(planMime({ container: 'adts', audioCodec: 'aac' })).toBe('audio/aac');
  });
});

describe('thumbnailArgs', () => {
  it('fits a box without upscaling, one JPEG frame', () => {
    expect(thumbnailArgs(300)).toEqual({
      input: head,
      output: ['-map', '0:v:0', '-frames:v', '1', '-vf', "scale=w='min(300,iw)':h='min(300,ih)':force_original_aspect_ratio=decrease", '-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg'],
    });
  });
});
