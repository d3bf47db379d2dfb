import { HOOK_BY_TYPE, OUTCOME_BY_TYPE } from '../../../lib/internal/engine/outcomes';

describe('outcomes', () => {
  it('should map each state type to the hook list it fires', () => {
    expect(HOOK_BY_TYPE).toEqual({
      SCHEDULED: undefined,
      PENDING: undefined,
      RUNNING: 'onRunning',
      COMPLETED: 'onCompletion',
      FAILED: 'onFailure',
      CANCELLING: undefined,
      CANCELLED: 'onCancellation',
      CRASHED: 'onCrashed',
      PAUSED: undefined,
    });
  });

  it('should resolve a call only for COMPLETED, and treat a last PENDING state as not ready', () => {
    expect(OUTCOME_BY_TYPE).toEqual({
      SCHEDULED: 'reject',
      PENDING: 'not-ready',
      RUNNING: 'reject',
      COMPLETED: 'resolve',
      FAILED: 'reject',
      CANCELLING: 'reject',
      CANCELLED: 'reject',
      CRASHED: 'reject',
      PAUSED: 'reject',
    });
    expect(Object.isFrozen(OUTCOME_BY_TYPE)).toBe(true);
  });
});
