import { createState, SharedState } from '../../lib/state/create-state.js';

describe('createState', () => {
  const at = new Date(1_000);

  it('should hold only type, name and timestamp when given no init', () => {
    const state = createState('RUNNING', 'Running', at);
    expect(state).toMatchInlineSnapshot(`
{
  "name": "Running",
  "timestamp": 1970-01-01T00:00:01.000Z,
  "type": "RUNNING",
}
`);
    expect(Object.keys(state)).toEqual(['type', 'name', 'timestamp']);
    expect(state.timestamp).toBe(at);
  });

  it('should be frozen, details included', () => {
    const state = createState('SCHEDULED', 'AwaitingRetry', at, { details: { scheduledTime: at } });
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.details)).toBe(true);
    expect(() => {
      (state as { name: string }).name = 'Late';
    }).toThrow(TypeError);
  });

  it('should freeze details in place, so later changes to the input cannot leak in', () => {
    const details: { runCount?: number } = { runCount: 2 };
    const state = createState('RUNNING', 'Retrying', at, { details });
    expect(() => {
      details.runCount = 3;
    }).toThrow(TypeError);
    expect(state.details).toEqual({ runCount: 2 });
    expect(Object.isFrozen(state.details)).toBe(true);
  });

  it('should omit an undefined message and details', () => {
    const state = createState('FAILED', 'Failed', at, { message: undefined, details: undefined });
    expect('message' in state).toBe(false);
    expect('details' in state).toBe(false);
  });

  it('should keep data and error when given, even when undefined', () => {
    const completed = createState<undefined>('COMPLETED', 'Completed', at, { data: undefined });
    expect('data' in completed).toBe(true);
    const failed = createState('FAILED', 'Failed', at, { error: undefined, message: 'undefined' });
    expect('error' in failed).toBe(true);
    expect('data' in failed).toBe(false);
  });

  it('should make a state with data alone, or data with other fields, with exactly those fields, frozen', () => {
    const data = { rows: [1, 2] };
    const completed = createState('COMPLETED', 'Completed', at, { data });
    expect(completed).toEqual({ type: 'COMPLETED', name: 'Completed', timestamp: at, data });
    expect(Object.keys(completed)).toEqual(['type', 'name', 'timestamp', 'data']);
    expect(Object.isFrozen(completed)).toBe(true);
    const cached = createState('COMPLETED', 'Cached', at, { data, message: 'from cache' });
    expect(cached).toEqual({ type: 'COMPLETED', name: 'Cached', timestamp: at, data, message: 'from cache' });
    expect(Object.isFrozen(cached)).toBe(true);
  });

  it('should carry every field it is given', () => {
    const error = new Error('boom');
    const state = createState('FAILED', 'Failed', at, {
      message: 'Error: boom',
      error,
      details: { runCount: 1 },
    });
    expect(state).toEqual({
      type: 'FAILED',
      name: 'Failed',
      timestamp: at,
      message: 'Error: boom',
      error,
      details: { runCount: 1 },
    });
    expect(state.error).toBe(error);
  });

  it('should refuse a name that does not belong to the type', () => {
    expect(() => createState('COMPLETED', 'Failed' as never, at)).toThrowErrorMatchingInlineSnapshot(
      `"createState: 'Failed' is not a name of state type 'COMPLETED'"`,
    );
  });
});

describe('SharedState', () => {
  it('should return one frozen state per timestamp Date, and a new one for another Date', () => {
    const pending = new SharedState('PENDING', 'Pending');
    const at = new Date(5);
    const first = pending.at(at);
    expect(first).toEqual({ type: 'PENDING', name: 'Pending', timestamp: at });
    expect(Object.isFrozen(first)).toBe(true);
    expect(pending.at(at)).toBe(first);
    // Equal time but another Date object: not shared (only the engine's shared Dates are).
    const other = pending.at(new Date(5));
    expect(other).not.toBe(first);
    expect(other).toEqual(first);
  });
});
