// HLS pieces without I/O: the playlist we write, the ffmpeg arguments of a run, the URL and its
// signature (one signature for the playlist and every segment).
import { describe, expect, it } from 'vitest';
import { buildHlsArgs, buildHlsCopyArgs, FMP4_TS_OFFSET, HLS_SEGMENT_SECONDS, seekTarget } from '../../../server/media/hls-args.js';
import { copySegmentStarts, lengthsFromStarts } from '../../../server/media/hls-keyframes.js';
import { segmentDurations, writePlaylist } from '../../../server/media/hls-playlist.js';
import { hlsUrl, parseHlsPath } from '../../../server/media/hls-url.js';
import { createSigner } from '../../../server/media/signing.js';
import { planFromQuery, type TranscodePlan } from '../../../server/media/transcode-params.js';

const signer = createSigner({ secret: Buffer.alloc(32, 1), ttlSeconds: 3600, now: () => 1_700_000_000_000 });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('segmentDurations', () => {
  it('fixed lengths and a remainder that add up to the duration', () => {
    expect(segmentDurations(7, 2)).toEqual([2, 2, 2, 1]);
    expect(segmentDurations(6, 2)).toEqual([2, 2, 2]);
    expect(sum(segmentDurations(3600.123, 2))).toBeCloseTo(3600.123, 9);
    expect(segmentDurations(3600.123, 2)).toHaveLength(1801);
  });
  it('a sliver of a tail joins the last segment; a short item is one segment; nothing for no duration', () => {
    expect(segmentDurations(6.04, 2)).toEqual([2, 2, 2.04]);
    expect(segmentDurations(0.04, 2)).toEqual([0.04]);
    expect(segmentDurations(0, 2)).toEqual([]);
    expect(segmentDurations(Number.NaN, 2)).toEqual([]);
  });
});

describe('writePlaylist', () => {
  const text = writePlaylist(segmentDurations(5.5, 2), 'c=hls&exp=1&sig=x');
  const lines = text.trim().split('\n');
  it('is a VOD media playlist ending in ENDLIST', () => {
    expect(lines.slice(0, 5)).toEqual(['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD']);
    expect(lines.at(-1)).toBe('#EXT-X-ENDLIST');
  });
  it('lists relative segment URIs with the same query, durations adding up', () => {
    expect(lines.filter((l) => !l.startsWith('#'))).toEqual(['0.ts?c=hls&exp=1&sig=x', '1.ts?c=hls&exp=1&sig=x', '2.ts?c=hls&exp=1&sig=x']);
    expect(sum(lines.filter((l) => l.startsWith('#EXTINF:')).map((l) => Number(l.slice(8, -1))))).toBeCloseTo(5.5, 6);
  });
  it('TARGETDURATION is at least every rounded EXTINF', () => {
    expect(writePlaylist(segmentDurations(4.6, 2), '')).toContain('#EXTINF:0.600000,\n2.ts\n'); // no query: bare URIs
    expect(writePlaylist(segmentDurations(6.04, 2), '')).toContain('#EXT-X-TARGETDURATION:2\n');
    expect(writePlaylist(segmentDurations(6.04, 2), '')).toContain('#EXTINF:2.040000,\n2.ts\n#EXT-X-ENDLIST');
    expect(writePlaylist(segmentDurations(5, 3), '')).toContain('#EXT-X-TARGETDURATION:3\n');
  });
});

describe('buildHlsArgs', () => {
  const plan: TranscodePlan = { container: 'hls', videoCodec: 'h264', audioCodec: 'aac', channels: 2 };
  it('a run from segment 12: input seek to 24 s, numbered from 12, timestamps shifted back to 24 s', () => {
    const a = buildHlsArgs(plan, { startSegment: 12, dir: '/tmp/x' });
    expect(HLS_SEGMENT_SECONDS).toBe(2);
    expect(a.input.slice(-2)).toEqual(['-ss', '24']);
    const at = (k: string) => a.output[a.output.indexOf(k) + 1];
    expect(at('-start_number')).toBe('12');
    expect(at('-output_ts_offset')).toBe('24');
    expect(at('-hls_time')).toBe('2');
    expect(at('-hls_segment_type')).toBe('mpegts');
    expect(at('-hls_flags')).toBe('temp_file');
    expect(at('-hls_segment_filename')).toBe('/tmp/x/%d.ts');
    expect(at('-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    expect(at('-c:v')).toBe('libx264');
    expect(at('-c:a')).toBe('aac');
    expect(a.output.filter((x) => x === '-f')).toHaveLength(1);
    expect(at('-f')).toBe('hls');
    expect(a.target).toBe('/tmp/x/ffmpeg.m3u8');
    expect(a.output).not.toContain('-movflags');
  });
  it('from the start: no seek', () => {
    const a = buildHlsArgs(plan, { startSegment: 0, dir: '/d' });
    expect(a.input).not.toContain('-ss');
    expect(a.output[a.output.indexOf('-output_ts_offset') + 1]).toBe('0');
  });
  it('refuses a copied picture (no forced keyframes to cut on) and a non-HLS plan', () => {
    expect(() => buildHlsArgs({ ...plan, videoCodec: 'copy' }, { startSegment: 0, dir: '/d' })).toThrow(/re-encodes/);
    expect(() => buildHlsArgs({ ...plan, container: 'mpegts' }, { startSegment: 0, dir: '/d' })).toThrow(/hls plan/);
  });
});

describe('hlsUrl', () => {
  it('one signature over /hls/<id> and the plan covers the playlist and every segment', () => {
    const url = hlsUrl(signer, 12, { container: 'mpegts', videoCodec: 'h264', audioCodec: 'aac', maxWidth: 1920 }, 'abc');
    expect(url).toMatch(/^\/hls\/12\/index\.m3u8\?c=hls&vc=h264&ac=aac&mw=1920&s=abc&exp=\d+&sig=/);
    const q = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    for (const path of ['/hls/12/index.m3u8', '/hls/12/0.ts', '/hls/12/907.ts']) {
      const at = parseHlsPath(path)!;
      expect(signer.verify(at.signedPath, q)).toBe('ok');
    }
    expect(signer.verify(parseHlsPath('/hls/13/0.ts')!.signedPath, q)).toBe('bad');
    const tampered = new URLSearchParams(q);
    tampered.set('s', 'abd');
    expect(signer.verify('/hls/12', tampered)).toBe('bad');
    expect(planFromQuery(q, true)).toEqual({ ok: true, plan: { container: 'hls', videoCodec: 'h264', audioCodec: 'aac', maxWidth: 1920 } });
  });
  it('a fresh stream id per URL unless given', () => {
    const t = { container: 'hls', videoCodec: 'h264' } as const;
    expect(hlsUrl(signer, 1, t)).not.toBe(hlsUrl(signer, 1, t));
  });
  it('parses only our paths', () => {
    expect(parseHlsPath('/hls/3/index.m3u8')).toEqual({ itemId: 3, segment: null, file: 'playlist', signedPath: '/hls/3' });
    expect(parseHlsPath('/hls/3/41.ts')).toEqual({ itemId: 3, segment: 41, file: 'ts', signedPath: '/hls/3' });
    expect(parseHlsPath('/hls/3/41.m4s')).toEqual({ itemId: 3, segment: 41, file: 'm4s', signedPath: '/hls/3' });
    expect(parseHlsPath('/hls/3/init.mp4')).toEqual({ itemId: 3, segment: -1, file: 'init', signedPath: '/hls/3' });
    for (const bad of ['/hls/3/init.m4s', '/hls/3/1.mp4', '/hls/3/-1.m4s', '/hls/3/init.mp4/', '/hls/3/../4/1.ts', '/hls/3/1.ts/', '/hls/3/%31.ts', '/hls/x/1.ts', '/hls/3/index.m3u8x', '/hls/3/-1.ts', '/hls//1.ts']) expect(parseHlsPath(bad)).toBeUndefined();
  });
});

describe('copied picture: segments on its keyframes', () => {
  it('a cut at the first keyframe at least a segment length after the last, none in the last sliver', () => {
    const kf = [0, 1.3, 2.6, 3.9, 5.2, 6.5, 7.8, 9.1];
    expect(copySegmentStarts(kf, 9.15, 2)).toEqual([0, 2.6, 5.2, 7.8]); // 9.1 is within 0.1 s of the end
    expect(lengthsFromStarts([0, 2.6, 5.2, 7.8], 9.15).map((x) => Math.round(x * 100) / 100)).toEqual([2.6, 2.6, 2.6, 1.35]);
    expect(copySegmentStarts([0.006, 10, 12.5], 20, 2)).toEqual([0, 10, 12.5]); // a long GOP makes a long segment
    expect(copySegmentStarts([], 20, 2)).toEqual([0]);
  });
  it('a copy run from segment 2: seek just past its keyframe, source timestamps, cut at the later starts', () => {
    const plan: TranscodePlan = { container: 'hls', videoCodec: 'copy', audioCodec: 'aac', channels: 2 };
    const a = buildHlsCopyArgs(plan, { startSegment: 2, starts: [0, 2.6, 5.2, 7.8], dir: '/d', keyframes: [0, 1.3, 2.6, 3.9, 5.2, 5.3, 6.5] });
    const at = (k: string) => a.output[a.output.indexOf(k) + 1];
    expect(a.input.slice(-2)).toEqual(['-ss', '5.201000']); // the next keyframe is too close to allow for ffmpeg's B-frame step back
    expect(a.output).toContain('-copyts');
    expect(at('-c:v')).toBe('copy');
    expect(at('-f')).toBe('segment');
    expect(at('-segment_format')).toBe('mpegts');
    expect(at('-segment_times')).toBe('7.800000,10000000.000000');
    expect(at('-segment_start_number')).toBe('2');
    expect(at('-segment_list')).toBe('/d/list.csv');
    expect(a.target).toBe('/d/%d.ts');
    expect(a.output).not.toContain('-force_key_frames');
    expect(buildHlsCopyArgs(plan, { startSegment: 0, starts: [0, 2.6], dir: '/d' }).input).not.toContain('-ss');
    expect(() => buildHlsCopyArgs({ ...plan, videoCodec: 'h264' }, { startSegment: 0, starts: [0], dir: '/d' })).toThrow(/vc=copy/);
  });
  it('the seek allows for the 3/23 s ffmpeg steps back for a stream with B-frames, while that stays before the next keyframe', () => {
    expect(seekTarget(78.005, [76.705, 78.005, 79.305])).toBeCloseTo(78.006 + 3 / 23, 9);
    expect(seekTarget(78.005)).toBeCloseTo(78.006 + 3 / 23, 9);
    expect(seekTarget(78.005, [78.005, 78.1])).toBeCloseTo(78.006, 9);
  });
  it('HEVC (fMP4): tagged hvc1, header to the run\'s init file, source timestamps plus the offset, .m4s segments', () => {
    const plan: TranscodePlan = { container: 'hls', videoCodec: 'copy', audioCodec: 'aac', channels: 2 };
    const a = buildHlsCopyArgs(plan, { startSegment: 2, starts: [0, 2.6, 5.2, 7.8], dir: '/d', init: 'init-3.mp4', list: '3-list.csv' });
    const at = (k: string) => a.output[a.output.indexOf(k) + 1];
    expect(at('-tag:v')).toBe('hvc1');
    expect(at('-segment_format')).toBe('mp4');
    expect(at('-segment_header_filename')).toBe('/d/init-3.mp4');
    expect(at('-segment_format_options')).toMatch(/^movflags=\+frag_keyframe\+empty_moov\+default_base_moof\+frag_discont.*:use_editlist=0:avoid_negative_ts=disabled$/);
    expect(at('-avoid_negative_ts')).toBe('disabled');
    expect(at('-output_ts_offset')).toBe(String(FMP4_TS_OFFSET));
    expect(at('-segment_times')).toBe(`${(7.8 + FMP4_TS_OFFSET).toFixed(6)},${(1e7 + FMP4_TS_OFFSET).toFixed(6)}`);
    expect(at('-segment_list')).toBe('/d/3-list.csv');
    expect(a.target).toBe('/d/%d.m4s');
  });
});

describe('writePlaylist for fMP4 segments', () => {
  const text = writePlaylist([2.6, 2.6, 1.2], 'c=hls&sig=x', { fmp4: true });
  it('version 7, the init segment in EXT-X-MAP with the same query, .m4s segment URIs', () => {
    const lines = text.trim().split('\n');
    expect(lines[1]).toBe('#EXT-X-VERSION:7');
    expect(lines).toContain('#EXT-X-MAP:URI="init.mp4?c=hls&sig=x"');
    expect(lines.indexOf('#EXT-X-MAP:URI="init.mp4?c=hls&sig=x"')).toBeLessThan(lines.findIndex((l) => l.startsWith('#EXTINF')));
    expect(lines.filter((l) => !l.startsWith('#'))).toEqual(['0.m4s?c=hls&sig=x', '1.m4s?c=hls&sig=x', '2.m4s?c=hls&sig=x']);
    expect(lines).toContain('#EXT-X-TARGETDURATION:3');
  });
});

describe('fMP4 init segment readiness', () => {
  const box = (type: string, body = 0): Buffer => {
    const b = Buffer.alloc(8 + body);
    b.writeUInt32BE(8 + body, 0);
    b.write(type, 4, 'latin1');
    return b;
  };
  it('is whole only with a moov and boxes that fill the file', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { wholeInit } = await import('../../../server/media/hls-sessions.js');
    const dir = await mkdtemp(join(tmpdir(), 'hc-init-'));
    const full = Buffer.concat([box('ftyp', 16), box('moov', 100)]);
    await writeFile(join(dir, 'whole.mp4'), full);
    await writeFile(join(dir, 'cut.mp4'), full.subarray(0, full.length - 10));
    await writeFile(join(dir, 'nomoov.mp4'), box('ftyp', 16));
    expect(await wholeInit(join(dir, 'whole.mp4'))).toBe(true);
    expect(await wholeInit(join(dir, 'cut.mp4'))).toBe(false);
    expect(await wholeInit(join(dir, 'nomoov.mp4'))).toBe(false);
    expect(await wholeInit(join(dir, 'missing.mp4'))).toBe(false);
    await rm(dir, { recursive: true });
  });
});
