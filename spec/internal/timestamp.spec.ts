import { queueScheduler, type SchedulerLike } from 'rxjs';
import { timestamp } from '../../lib/internal/timestamp';

const at = (ms: number): SchedulerLike => ({
  now: () => ms,
  schedule: queueScheduler.schedule.bind(queueScheduler),
});

describe('timestamp', () => {
  it('should give the scheduler’s time as a Date', () => {
    expect(timestamp(at(1234)).getTime()).toBe(1234);
  });

  it('should reuse one Date within a millisecond of one scheduler, and not across schedulers or times', () => {
    let now = 5;
    const scheduler: SchedulerLike = {
      now: () => now,
      schedule: queueScheduler.schedule.bind(queueScheduler),
    };
    const a = timestamp(scheduler);
    expect(timestamp(scheduler)).toBe(a);
    expect(timestamp(at(5))).not.toBe(a);
    now = 6;
    expect(timestamp(scheduler).getTime()).toBe(6);
  });
});
