import { adopt } from './adopt.js';
import { isThenable } from './is-thenable.js';
import { report } from './report.js';

/**
 * @internal Asks a retry condition (a task's `retryConditionFn`, an operator's `shouldRetry`)
 * whether to retry after `error`, and calls `decide` once with the answer: at once for a plain
 * value (its truthiness), once settled for a thenable. A condition that throws or rejects, or
 * returns a thenable that cannot be followed (a `then` or `then` getter that throws), means "do
 * not retry": the failure stands, and the condition's own error is reported (`setErrorReporter`).
 * `what` names the owner in that report (`Task 'load'`).
 */
export function askRetry(
  ask: (error: unknown, attempt: number) => unknown,
  error: unknown,
  attempt: number,
  what: string | undefined,
  decide: (retry: boolean) => void,
): void {
  let verdict: unknown;
  try {
    verdict = ask(error, attempt);
  } catch (failure) {
    refused(what, failure);
    return decide(false);
  }
  if (!isThenable(verdict)) return decide(!!verdict);
  adopt(
    verdict,
    (yes) => decide(!!yes),
    (failure) => {
      refused(what, failure);
      decide(false);
    },
  );
}

function refused(what: string | undefined, failure: unknown): void {
  report(`${what ?? 'retryWithBackoff'}: the retry condition failed, so the failure is not retried`, failure);
}
