// A2: A1's task run with everything switched on — inside a flow run, with a runStates$ subscriber
// and an onCompletion hook — so the cost of parent linking, state events and hooks shows.
import { addOne, sequential, sequentialSum, sumOfSuccessors } from '../lib/workload.mjs';

export default {
  id: 'A2',
  title: 'A1 inside one flow, with a runStates$ subscriber and an onCompletion hook',
  n: { full: 200_000, quick: 5_000 },
  expected: sumOfSuccessors,
  variants: {
    rxflow: async () => {
      const { flow, runStates$, task } = await import('rxflow');
      let events = 0;
      let completions = 0;
      runStates$.subscribe(() => {
        events++;
      });
      const step = task(
        {
          retries: 3,
          timeoutSeconds: 5,
          onCompletion: [
            () => {
              completions++;
            },
          ],
        },
        addOne,
      );
      const loop = flow({ name: 'a2' }, (n) => sequentialSum(step, n));
      return async (n) => {
        events = 0;
        completions = 0;
        const sum = await loop(n);
        if (completions !== n) throw new Error(`expected ${n} onCompletion calls, counted ${completions}`);
        if (events < 3 * n)
          throw new Error(`expected at least ${3 * n} runStates$ events, counted ${events}`);
        return sum;
      };
    },
    raw: sequential(() => addOne),
  },
  goals: [{ text: 'rxflow ≤ 6 µs per run', value: (v) => v.rxflow.medianUs, unit: 'µs', max: 6 }],
};
