import type { StateName } from './schema.js';

/**
 * The engine's legal transitions, by state name: the one table the engine's runs follow and
 * the property tests check every emitted sequence against. `null` is "before the first state".
 */
export const TRANSITIONS: Readonly<Record<StateName | 'null', readonly StateName[]>> = {
  null: ['Pending', 'Scheduled'],
  Scheduled: ['Pending', 'Late', 'Cancelled', 'Crashed'],
  Late: ['Pending', 'Cancelled', 'Crashed'],
  Pending: ['Running', 'Cached', 'NotReady', 'Failed', 'Cancelled', 'Crashed', 'AwaitingConcurrencySlot'],
  AwaitingConcurrencySlot: ['Running', 'Cancelled', 'Crashed'],
  NotReady: [],
  Running: [
    'Completed',
    'Failed',
    'TimedOut',
    'AwaitingRetry',
    'Retrying',
    'Cancelling',
    'Cancelled',
    'Crashed',
    'Paused',
  ],
  Retrying: [
    'Completed',
    'Failed',
    'TimedOut',
    'AwaitingRetry',
    'Retrying',
    'Cancelling',
    'Cancelled',
    'Crashed',
    'Paused',
  ],
  AwaitingRetry: ['Retrying', 'Cancelled', 'Crashed'],
  Paused: ['Running', 'Cancelled', 'Crashed', 'Failed'],
  Suspended: ['Running', 'Cancelled', 'Crashed', 'Failed'],
  Cancelling: ['Cancelled', 'Crashed'],
  Completed: [],
  Cached: [],
  Failed: [],
  TimedOut: [],
  Cancelled: [],
  Crashed: [],
};

/** True when a run may move from state `from` (or from nothing, `null`) to state `to`. */
export function canTransition(from: StateName | null, to: StateName): boolean {
  return TRANSITIONS[from ?? 'null'].includes(to);
}
