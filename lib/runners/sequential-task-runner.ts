import { ConcurrentTaskRunner } from './concurrent-task-runner.js';
import type { TaskRunner } from './task-runner.js';

/**
 * Runs submitted task runs one at a time, in submission order: the next starts when the
 * previous has ended (retry waits included).
 * @example
 * ```ts
 * const ordered = flow({ taskRunner: new SequentialTaskRunner() }, async () => step.map([1, 2, 3]).result());
 * ```
 */
export class SequentialTaskRunner extends ConcurrentTaskRunner {
  override readonly name: string = 'sequential';

  constructor() {
    super({ maxConcurrency: 1 });
  }

  override duplicate(): TaskRunner {
    return new SequentialTaskRunner();
  }
}
