import { asyncScheduler, queueScheduler } from 'rxjs';
import { configureClock, DEFAULT_RANDOM, getDefaultClock, nowDate } from '../../lib/internal/clock';

describe('configureClock', () => {
  it('should default to asyncScheduler and the platform random source', () => {
    expect(getDefaultClock()).toEqual({ scheduler: asyncScheduler, random: DEFAULT_RANDOM });
  });

  it('should replace parts of the default clock and restore the previous one', () => {
    const random = () => 0.5;
    const restore = configureClock({ random });
    expect(getDefaultClock().random).toBe(random);
    expect(getDefaultClock().scheduler).toBe(asyncScheduler);
    const restoreInner = configureClock({ scheduler: queueScheduler });
    expect(getDefaultClock()).toEqual({ scheduler: queueScheduler, random });
    restoreInner();
    restore();
    expect(getDefaultClock()).toEqual({ scheduler: asyncScheduler, random: DEFAULT_RANDOM });
  });
});

describe('nowDate', () => {
  it('should read the time from the clock’s scheduler', () => {
    const scheduler = { now: () => 1234, schedule: asyncScheduler.schedule.bind(asyncScheduler) };
    expect(nowDate({ scheduler, random: DEFAULT_RANDOM }).getTime()).toBe(1234);
  });
});
