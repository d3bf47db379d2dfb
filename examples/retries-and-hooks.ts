/**
 * Retries and hooks: which failures are retried, and who hears about the outcome.
 *
 * - `retryConditionFn` retries only transient errors: a connection reset is retried, a
 *   declined card is not, even with retries left.
 * - `NonRetriableError` stops retrying from inside the body.
 * - `onCompletion` / `onFailure` hooks (given as options or registered later) fire once per
 *   final state, may be async, and have finished before the call settles.
 * - A hook that throws is reported (see `setErrorReporter`) and never changes the run's state.
 *
 * Run it with `npx tsx examples/retries-and-hooks.ts`.
 */
import { lastValueFrom, map, toArray, type Observable } from 'rxjs';
import {
  flow,
  getRunContext,
  isNonRetriableError,
  NonRetriableError,
  setErrorReporter,
  task,
  type State,
  type TaskHook,
} from '../lib/index.node.js';

class PaymentError extends Error {
  override name = 'PaymentError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

const audit: string[] = [];

/** An async hook: the call below resolves only after it has finished. */
const recordOutcome: TaskHook = async (_task, run, state) => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  audit.push(`${run.name}: ${state.name} after ${run.runCount} attempt(s)`);
};

// 1. retryConditionFn: the first attempt hits a connection reset (retried), the second a
//    declined card (not retried, although 3 retries were allowed).
const chargeCard = task(
  {
    name: 'charge-card',
    retries: 3,
    retryDelaySeconds: 0.05,
    retryConditionFn: (_task, run, state) => {
      const transient = state.error instanceof PaymentError && state.error.transient;
      console.log(`  retryConditionFn after attempt ${run.runCount}: ${transient ? 'retry' : 'give up'}`);
      return transient;
    },
    onFailure: [recordOutcome],
  },
  async (cents: number) => {
    const attempt = getRunContext().taskRun!.runCount;
    if (attempt === 1) throw new PaymentError('ECONNRESET talking to the payment gateway', true);
    throw new PaymentError(`card declined for ${cents} cents`, false);
  },
);

// 2. NonRetriableError: a 404 will not go away by asking again.
const fetchUser = task({ name: 'fetch-user', retries: 5, retryDelaySeconds: 0.05 }, async (id: number) => {
  throw new NonRetriableError(`user ${id} does not exist (404)`);
});

// 3. Hooks registered after definition; one of them throws.
const sendReceipt = task({ name: 'send-receipt', retries: 1 }, async (to: string) => {
  if (getRunContext().taskRun!.runCount === 1) throw new Error('SMTP 421, try again');
  return `receipt sent to ${to}`;
})
  .onCompletion(recordOutcome)
  .onCompletion(function brokenHook() {
    throw new Error('the metrics endpoint is down');
  });

// 4. Flow hooks see the flow run.
const checkout = flow(
  {
    name: 'checkout',
    flowRunName: 'checkout-{email}',
    onCompletion: [
      (_flow, run, state) => void audit.push(`${run.name}: ${state.name} → ${String(state.data)}`),
    ],
  },
  async (email: string) => sendReceipt(email),
);

/** The names of every state of one run, in order. */
const stateNames = (states$: Observable<State>) =>
  lastValueFrom(
    states$.pipe(
      map((s) => s.name),
      toArray(),
    ),
  );

async function main(): Promise<void> {
  const restoreReporter = setErrorReporter((message, error) =>
    console.log(`  reported: ${message}: ${(error as Error).message}`),
  );
  try {
    console.log('1. retryConditionFn');
    console.log(`  states: ${(await stateNames(chargeCard.run$(4200))).join(' → ')}`);

    console.log('2. NonRetriableError');
    const error = await fetchUser(7).catch((e: unknown) => e);
    console.log(`  rejected with NonRetriableError: ${isNonRetriableError(error)}`);
    console.log(`  states: ${(await stateNames(fetchUser.run$(7))).join(' → ')}`);

    console.log('3 + 4. hooks');
    console.log(`  result: ${await checkout('ada@example.com')}`);

    console.log('audit log (async hooks finished before each call settled):');
    for (const line of audit) console.log(`  ${line}`);
  } finally {
    restoreReporter();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
