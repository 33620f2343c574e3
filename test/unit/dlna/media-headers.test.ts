import { describe, expect, it } from 'vitest';
import { parseTimeSeek, timeSeekReply } from '../../../server/dlna/media-headers.js';
import { dlnaProfile, fourthField } from '../../../server/dlna/protocol-info.js';
import { didlDuration } from '../../../server/dlna/didl.js';

describe('DLNA media headers', () => {
  it('reads TimeSeekRange.dlna.org npt ranges and refuses anything else', () => {
    expect(parseTimeSeek(undefined)).toBeUndefined();
    expect(parseTimeSeek('npt=10.5-')).toEqual({ start: 10.5 });
    expect(parseTimeSeek('npt=0:01:02.250-0:02:00')).toEqual({ start: 62.25, end: 120 });
    expect(parseTimeSeek(' NPT = 3 - ')).toEqual({ start: 3 });
    for (const bad of ['bytes=0-', 'npt=-5', 'npt=5-2', 'npt=1:99:00-', 'npt=abc-', 'npt=1e9-']) expect(parseTimeSeek(bad), bad).toBe('bad');
    expect(timeSeekReply(2, 3)).toBe('npt=2.000-3.000/3.000');
    expect(timeSeekReply(2, null)).toBe('npt=2.000-/*');
  });

  it('names DLNA profiles only when the file is one, with the right OP/CI/FLAGS', () => {
    expect(dlnaProfile({ mime: 'audio/mpeg' })).toBe('MP3');
    expect(dlnaProfile({ mime: 'audio/mp4', audioCodec: 'alac' })).toBeUndefined();
    expect(dlnaProfile({ mime: 'image/jpeg', width: 160, height: 120 })).toBe('JPEG_TN');
    expect(dlnaProfile({ mime: 'image/jpeg', width: 1024, height: 768 })).toBe('JPEG_MED');
    expect(dlnaProfile({ mime: 'image/jpeg', width: 8000, height: 6000 })).toBeUndefined();
    expect(fourthField({ pn: 'MP3' })).toBe('DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000');
    expect(fourthField({ transcoded: true })).toBe('DLNA.ORG_OP=10;DLNA.ORG_CI=1;DLNA.ORG_FLAGS=01700000000000000000000000000000');
    expect(didlDuration(3725.5)).toBe('1:02:05.500');
  });
});
