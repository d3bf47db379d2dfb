import { Observable } from 'rxjs';
import type { TaskRunFuture } from './task-run-future.js';

/**
 * The futures in the order their runs end (those already ended first, in the order they ended),
 * then completes (Prefect's `as_completed`). Unsubscribing stops listening; runs go on.
 * @example
 * ```ts
 * asCompleted(fetchPage.map(urls)).subscribe((f) => console.log(f.state.name, f.id));
 * ```
 */
export function asCompleted<R>(futures: Iterable<TaskRunFuture<R>>): Observable<TaskRunFuture<R>> {
  return new Observable<TaskRunFuture<R>>((subscriber) => {
    const list = [...futures];
    const ended = list.filter((f) => f.done).sort((a, b) => a.run.completedAt - b.run.completedAt);
    for (const future of ended) subscriber.next(future);
    let left = list.length - ended.length;
    if (left === 0) {
      subscriber.complete();
      return undefined;
    }
    const removers = list
      .filter((f) => !f.done)
      .map((future) =>
        future.run.whenEnded(() => {
          subscriber.next(future);
          if (--left === 0) subscriber.complete();
        }),
      );
    return () => {
      for (const remove of removers) remove();
    };
  });
}
