import { CursorQueue } from '../internal/cursor-queue.js';
import type { TaskRunner, TaskRunnerJob } from './task-runner.js';

/** Options of {@link ConcurrentTaskRunner}. */
export interface ConcurrentTaskRunnerOptions {
  /** Most submitted runs running at once in one flow run; a positive integer. @default Infinity */
  maxConcurrency?: number;
}

/**
 * The default task runner: submitted runs go concurrently on the event loop (Prefect's
 * ThreadPoolTaskRunner counterpart, without threads). With `maxConcurrency`, further runs wait
 * in submission order; a run holds its slot for its whole life, retry waits included. The queue
 * is a list of chunks read through a cursor, so a million queued runs cost O(1) each (RxJS
 * `mergeMap` drains its buffer with `shift()`, which is O(n) per item).
 * @example
 * ```ts
 * const crawl = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 8 }) }, async (urls: string[]) =>
 *   fetchPage.map(urls).result(),
 * );
 * ```
 */
export class ConcurrentTaskRunner implements TaskRunner {
  readonly name: string = 'concurrent';
  /** The validated limit (`Infinity` when none). */
  readonly maxConcurrency: number;
  private running = 0;
  private readonly queue = new CursorQueue<TaskRunnerJob>();
  private pumping = false;
  private readonly release = (): void => {
    this.running--;
    this.pump();
  };

  constructor(options: ConcurrentTaskRunnerOptions = {}) {
    const max = options.maxConcurrency ?? Infinity;
    if (!(max === Infinity || (Number.isInteger(max) && max >= 1))) {
      throw new RangeError(
        `ConcurrentTaskRunner: expected maxConcurrency to be a positive integer, got ${String(max)}`,
      );
    }
    this.maxConcurrency = max;
  }

  /** Runs currently holding a slot. */
  get active(): number {
    return this.running;
  }

  /** Runs waiting for a slot. */
  get queued(): number {
    return this.queue.size;
  }

  submit(job: TaskRunnerJob): void {
    this.queue.push(job);
    this.pump();
  }

  duplicate(): TaskRunner {
    return new ConcurrentTaskRunner({ maxConcurrency: this.maxConcurrency });
  }

  /** Starts queued jobs while slots are free; a loop, so runs ending synchronously do not recurse. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.running < this.maxConcurrency && !this.queue.isEmpty) {
        const job = this.queue.take();
        this.running++;
        job.start(this.release);
      }
    } finally {
      this.pumping = false;
    }
  }
}
