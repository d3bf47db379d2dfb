// The Node context store, but not the testing kit's Node binder: virtual timers must still
// carry the rxflow frame that scheduled them (as when `rxflow/testing`'s default entry is used).
import '../../lib/internal/context-node';
import { currentFrame, runInFrame } from '../../lib/internal/context';
import { VirtualScheduler } from '../../lib/testing/virtual-scheduler';

describe('VirtualScheduler without the Node binder', () => {
  it('should run each action in the rxflow frame that scheduled it', () => {
    const scheduler = new VirtualScheduler();
    const seen: Array<readonly string[]> = [];
    const record = () => void seen.push(currentFrame().tags);
    runInFrame({ ...currentFrame(), tags: ['scheduled-here'] }, () => scheduler.schedule(record, 5));
    scheduler.schedule(record, 10);
    scheduler.advanceTo(10);
    expect(seen).toEqual([['scheduled-here'], []]);
  });
});
