import { TimeoutError } from '../errors/timeout-error.js';
import { currentFrame } from '../internal/context.js';
import {
  timerQueueFor,
  type TimerEntry,
  type TimerQueue,
  type TimerTarget,
} from '../internal/timer-queue.js';
import { occupyError, type SlotPool, type SlotWaiter } from './limiter.js';
import { LimiterSet } from './limiter-set.js';

/**
 * @internal Waits for `occupy` slots of `limiter`: at once when free, else in its FIFO queue,
 * until the current run's signal aborts (rejects with its reason) or `timeoutSeconds` passes
 * (rejects with a `TimeoutError`). Either way the waiter leaves the queue and its timer and
 * abort listener are removed. Resolves undefined synchronously-fast when a slot is free.
 */
export function acquireSlots(
  limiter: SlotPool,
  occupy: number,
  timeoutSeconds: number | undefined,
): Promise<void> | undefined {
  const frame = currentFrame();
  const token = frame.run?.token;
  if (token?.aborted) return Promise.reject(token.reason);
  if (limiter.limit > 0 && occupy > limiter.limit)
    return Promise.reject(occupyError(limiter.name, occupy, limiter.limit));
  if (limiter.tryAcquire(occupy)) return undefined;
  if (timeoutSeconds === 0) return Promise.reject(waitTimeout(limiter, 0));
  return new Promise<void>((resolve, reject) => {
    const request = new SlotRequest(limiter, occupy, resolve, reject);
    if (timeoutSeconds !== undefined) {
      request.queue = timerQueueFor(frame.clock.scheduler);
      request.timeoutSeconds = timeoutSeconds;
      request.timer = request.queue.add(timeoutSeconds * 1000, request);
    }
    if (token !== undefined) request.removeAbort = token.onAbort((reason) => request.end(reason));
    limiter.enqueue(request);
  });
}

function waitTimeout(limiter: SlotPool, seconds: number): TimeoutError {
  if (limiter instanceof LimiterSet) {
    const names = limiter.members.map((m) => `'${m.name}'`).join(', ');
    return new TimeoutError(seconds, `Waiting for concurrency limits ${names}`);
  }
  return new TimeoutError(seconds, `Waiting for concurrency limit '${limiter.name}'`);
}

/** One caller's place in a limiter's queue, with its timeout and abort listener. */
class SlotRequest implements SlotWaiter, TimerTarget {
  queueIndex = -1;
  queue: TimerQueue | undefined = undefined;
  timer: TimerEntry | undefined = undefined;
  timeoutSeconds = 0;
  removeAbort: (() => void) | undefined = undefined;
  private done = false;

  constructor(
    private readonly limiter: SlotPool,
    readonly occupy: number,
    private readonly resolve: () => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  grant(): void {
    if (this.cleanup()) this.resolve();
  }

  fail(error: unknown): void {
    if (this.cleanup()) this.reject(error);
  }

  onTimer(): void {
    this.end(waitTimeout(this.limiter, this.timeoutSeconds));
  }

  /** Leaves the queue (if still in it) and rejects. */
  end(error: unknown): void {
    if (this.done) return;
    this.limiter.remove(this);
    this.fail(error);
  }

  private cleanup(): boolean {
    if (this.done) return false;
    this.done = true;
    if (this.timer !== undefined) this.queue!.cancel(this.timer);
    this.removeAbort?.();
    return true;
  }
}
