export { StateSchema, StateTypeSchema, StateDetailsSchema, STATE_NAMES } from './schema.js';
export type { State, StateType, StateName, StateDetails } from './schema.js';
export { createState } from './create-state.js';
export type { StateInit } from './create-state.js';
export {
  isFinal,
  isCompleted,
  isFailed,
  isCancelled,
  isCrashed,
  isPaused,
  isScheduled,
  isRunning,
  isPending,
} from './predicates.js';
export { TRANSITIONS, canTransition } from './transitions.js';
