import { describe, expect, it } from 'vitest';
import { applyGroupVolume, groupVolume } from '../../../../receivers/sendspin/group-volume.js';

describe('Sendspin group volume (spec "Setting group volume")', () => {
  it('is the average of the players', () => {
    expect(groupVolume([20, 40, 90])).toBe(50);
    expect(groupVolume([])).toBe(0);
  });

  it('moves every player by the same delta, keeping their balance', () => {
    expect(applyGroupVolume([20, 40, 60], 50)).toEqual([30, 50, 70]);
    expect(applyGroupVolume([20, 40, 60], 30)).toEqual([10, 30, 50]);
  });

  it('shares what a clamped player cannot take among the others', () => {
    // +20⅓ each would put the third at 110⅓: its 10⅓ go to the other two (+5⅙ each).
    const v = applyGroupVolume([50, 60, 90], 87);
    expect(v).toEqual([75.5, 85.5, 100]);
    expect(groupVolume(v)).toBe(87);
    expect(applyGroupVolume([10, 50], 5)).toEqual([0, 10]);
  });

  it('reaches 100 for everyone at 100 and 0 for everyone at 0', () => {
    expect(applyGroupVolume([0, 30, 100], 100)).toEqual([100, 100, 100]);
    expect(applyGroupVolume([5, 30, 100], 0)).toEqual([0, 0, 0]);
  });
});
