import { describe, expect, it } from 'vitest';
import { srtToVtt } from '../../../server/media/srt-to-vtt.js';

describe('srtToVtt', () => {
  it('adds the header, turns commas into dots and CRLF into LF, drops a BOM', () => {
    const srt = '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nHello, there\r\n\r\n2\r\n0:00:03,000 --> 0:00:04,000\r\nBye\r\n';
    expect(srtToVtt(srt)).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello, there\n\n2\n00:00:03.000 --> 00:00:04.000\nBye\n');
  });
});
