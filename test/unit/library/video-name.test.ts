import { describe, expect, it } from 'vitest';
import { titleAndYear, yearFromTags } from '../../../server/library/video-name.js';

describe('a film\'s title and year', () => {
  it('takes "Title (2019)" and "Title [2019]" apart', () => {
    expect(titleAndYear('Night Walk (2019)')).toEqual({ title: 'Night Walk', year: 2019 });
    expect(titleAndYear('Night Walk [1999] ')).toEqual({ title: 'Night Walk', year: 1999 });
    expect(titleAndYear('Night.Walk.(2019)')).toEqual({ title: 'Night.Walk', year: 2019 });
    expect(titleAndYear('1917 (2019)')).toEqual({ title: '1917', year: 2019 });
    expect(titleAndYear('Blade Runner 2049 (2017)')).toEqual({ title: 'Blade Runner 2049', year: 2017 });
  });

  it('leaves names without a trailing year, or with a number that is no year, as they are', () => {
    expect(titleAndYear('Blade Runner 2049')).toEqual({ title: 'Blade Runner 2049', year: null });
    expect(titleAndYear('(2019)')).toEqual({ title: '(2019)', year: null });
    expect(titleAndYear('Holiday (2019) part 2')).toEqual({ title: 'Holiday (2019) part 2', year: null });
    expect(titleAndYear('Clip (1080)')).toEqual({ title: 'Clip (1080)', year: null });
    expect(titleAndYear('Far Future (9999)')).toEqual({ title: 'Far Future (9999)', year: null });
  });

  it('reads the release year from container tags, never the encoding time', () => {
    expect(yearFromTags({ date: '2005' })).toBe(2005);
    expect(yearFromTags({ DATE: '2005-06-01' })).toBe(2005);
    expect(yearFromTags({ DATE_RELEASED: '1999', date: '2005' })).toBe(1999);
    expect(yearFromTags({ creation_time: '2024-01-01T00:00:00.000000Z' })).toBeNull();
    expect(yearFromTags({ date: 'unknown' })).toBeNull();
    expect(yearFromTags(undefined)).toBeNull();
  });
});
