import { describe, expect, it } from '@jest/globals';
import { retryDelay, retrySchedule } from './retry-schedule.js';

describe('webhook retry schedule', () => {
  it('spans about three days with the defaults (10 attempts, first retry after 15 s, x4, capped at 24 h)', () => {
    const schedule = retrySchedule(10, 15_000);
    expect(schedule).toEqual([15_000, 60_000, 240_000, 960_000, 3_840_000, 15_360_000, 61_440_000, 86_400_000, 86_400_000]);
    const hours = schedule.reduce((sum, delay) => sum + delay, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(66);
    expect(hours).toBeLessThan(78);
  });

  it('jitters each delay within +-20 %, the same way for the same job and attempt', () => {
    const delays = Array.from({ length: 200 }, (_, index) => retryDelay(3, 15_000, `job-${index}`));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(240_000 * 0.8);
    expect(Math.max(...delays)).toBeLessThanOrEqual(240_000 * 1.2);
    expect(new Set(delays).size).toBeGreaterThan(150);
    expect(retryDelay(3, 15_000, 'job-1')).toBe(retryDelay(3, 15_000, 'job-1'));
  });
});
