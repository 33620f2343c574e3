import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../server/media/range.js';

describe('parseRange', () => {
  const size = 1000;
  it.each([
    ['bytes=0-99', { kind: 'range', start: 0, end: 99 }],
    ['bytes=100-', { kind: 'range', start: 100, end: 999 }],
    ['bytes=-100', { kind: 'range', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'range', start: 0, end: 999 }],
    ['bytes=990-5000', { kind: 'range', start: 990, end: 999 }],
    ['bytes=999-999', { kind: 'range', start: 999, end: 999 }],
    ['Bytes = 5 - 9 ', { kind: 'range', start: 5, end: 9 }],
  ])('%s → range', (header, want) => {
    expect(parseRange(header, size)).toEqual(want);
  });

  it.each(['bytes=1000-', 'bytes=1000-1001', 'bytes=-0'])('%s → unsatisfiable', (header) => {
    expect(parseRange(header, size)).toEqual({ kind: 'unsatisfiable' });
  });

  it('any range of an empty file is unsatisfiable', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it.each(['bytes=', 'bytes=-', 'bytes=abc', 'bytes=5-4', 'bytes=1-2-3', 'bytes 0-1', 'bytes=0x10-', 'bytes=99999999999999999999-', 'bytes=0-1,x'])(
    '%s → malformed',
    (header) => {
      expect(parseRange(header, size)).toEqual({ kind: 'malformed' });
    },
  );

  it('no header, another unit and several ranges → whole body', () => {
    expect(parseRange(undefined, size)).toEqual({ kind: 'none' });
    expect(parseRange('items=0-5', size)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=0-1,5-9', size)).toEqual({ kind: 'none' });
  });
});
