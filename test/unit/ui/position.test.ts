import { describe, expect, it } from 'vitest';
import { formatTime, positionNow } from '../../../ui/src/data/position.js';

const s = { state: 'playing' as const, position: 10, at: 1_000_000, rate: 1, duration: 60 };

describe('positionNow', () => {
  it('moves with the rate from the time the position was true', () => {
    expect(positionNow(s, 1_000_000)).toBe(10);
    expect(positionNow(s, 1_002_500)).toBeCloseTo(12.5);
    expect(positionNow({ ...s, rate: 2 }, 1_001_000)).toBeCloseTo(12);
  });

  it('stops at the duration and never goes back before `at`', () => {
    expect(positionNow(s, 1_100_000)).toBe(60);
    expect(positionNow(s, 999_000)).toBe(10);
  });

  it('stands still when paused or idle, and has no cap without a duration', () => {
    expect(positionNow({ ...s, state: 'paused', rate: 0 }, 1_005_000)).toBe(10);
    expect(positionNow({ ...s, state: 'paused' }, 1_005_000)).toBe(10);
    expect(positionNow({ ...s, duration: null }, 1_100_000)).toBeCloseTo(110);
  });

  it('two snapshots in a row: the second restarts the clock', () => {
    const first = positionNow(s, 1_004_000);
    const second = positionNow({ ...s, position: 30, at: 1_004_000 }, 1_004_500);
    expect(first).toBeCloseTo(14);
    expect(second).toBeCloseTo(30.5);
  });
});

describe('formatTime', () => {
  it('minutes and seconds, hours when needed', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(75.9)).toBe('1:15');
    expect(formatTime(3725)).toBe('1:02:05');
    expect(formatTime(null)).toBe('–:––');
  });
});
