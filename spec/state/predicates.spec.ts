import { createState } from '../../lib/state/create-state.js';
import {
  isCancelled,
  isCompleted,
  isCrashed,
  isFailed,
  isFinal,
  isPaused,
  isPending,
  isRunning,
  isScheduled,
} from '../../lib/state/predicates.js';
import { STATE_NAMES, StateTypeSchema, type State, type StateType } from '../../lib/state/schema.js';

const BY_TYPE: Partial<Record<StateType, (state: State) => boolean>> = {
  COMPLETED: isCompleted,
  FAILED: isFailed,
  CANCELLED: isCancelled,
  CRASHED: isCrashed,
  PAUSED: isPaused,
  SCHEDULED: isScheduled,
  RUNNING: isRunning,
  PENDING: isPending,
};
const FINAL: readonly StateType[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'];

const every = StateTypeSchema.options.flatMap((type) =>
  STATE_NAMES[type].map((name) => createState(type, name, new Date(0))),
);

describe('predicates', () => {
  it.each(every)('should classify $type/$name', (state) => {
    for (const [type, predicate] of Object.entries(BY_TYPE)) {
      expect([type, predicate(state)]).toEqual([type, state.type === type]);
    }
    expect(isFinal(state)).toBe(FINAL.includes(state.type));
  });

  it('should treat CANCELLING and PAUSED as not final', () => {
    expect(isFinal(createState('CANCELLING', 'Cancelling', new Date(0)))).toBe(false);
    expect(isFinal(createState('PAUSED', 'Suspended', new Date(0)))).toBe(false);
  });

  it('should narrow the state type', () => {
    const state: State<number> = createState<number>('COMPLETED', 'Cached', new Date(0), { data: 1 });
    if (isCompleted(state)) {
      const name: 'Completed' | 'Cached' = state.name;
      expect(name).toBe('Cached');
    } else {
      throw new Error('expected a COMPLETED state');
    }
  });
});
