import { asyncScheduler } from 'rxjs';
import { DEFAULT_RANDOM, type Clock } from '../internal/clock.js';
import { newRunId } from '../internal/ids.js';

// Always the process's counter-based ids, never a seeded clock's random source: observing
// events or creating artifacts must not shift the run ids of a seeded timeline.
const COUNTER: Clock = { scheduler: asyncScheduler, random: DEFAULT_RANDOM };

/** @internal A UUID-shaped id for an event or an artifact. */
export function newId(): string {
  return newRunId(COUNTER);
}
