import { describe, expect, it } from 'vitest';
import { streamSdp, parseResponse } from '../../../../../receivers/airplay/raop/rtsp.js';

describe('RTSP responses', () => {
  it('wait for the whole body by Content-Length and leave the next response', () => {
    const one = 'RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Length: 4\r\nSession: 1\r\n\r\nabcd';
    const two = 'RTSP/1.0 453 Not Enough Bandwidth\r\nCSeq: 4\r\n\r\n';
    expect(parseResponse(Buffer.from(one.slice(0, -1)))).toBeUndefined();
    const r = parseResponse(Buffer.from(one + two))!;
    expect(r.response.status).toBe(200);
    expect(r.response.headers['session']).toBe('1');
    expect(r.response.body.toString()).toBe('abcd');
    expect(parseResponse(r.rest)!.response).toMatchObject({ status: 453, reason: 'Not Enough Bandwidth' });
  });
});

describe('ANNOUNCE SDP', () => {
  it('announces unencrypted ALAC 44100/16/2 in 352-frame packets', () => {
    const sdp = streamSdp('77', '10.0.0.1', '10.0.0.2');
    expect(sdp).toContain('m=audio 0 RTP/AVP 96\r\n');
    expect(sdp).toContain('a=rtpmap:96 AppleLossless\r\n');
    expect(sdp).toContain('a=fmtp:96 352 0 16 40 10 14 2 255 0 0 44100\r\n');
    expect(sdp).toContain('c=IN IP4 10.0.0.2');
    expect(sdp).not.toMatch(/rsaaeskey|aesiv/);
  });
});

describe('ANNOUNCE SDP for PCM speakers', () => {
  it('announces L16 stereo at 44.1 kHz when asked for pcm', () => {
    const sdp = streamSdp('77', '10.0.0.1', '10.0.0.2', 'pcm');
    expect(sdp).toContain('a=rtpmap:96 L16/44100/2\r\n');
    expect(sdp).not.toContain('AppleLossless');
  });
});
