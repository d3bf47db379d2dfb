/**
 * The example at the top of README.md. Run it with `npx tsx examples/docs/readme.ts`.
 */
// #region readme
import { exponentialBackoff, flow, runStates$, task } from '../../lib/index.node.js';

let calls = 0;
const fetchPrices = task(
  { name: 'fetch-prices', retries: 3, retryDelaySeconds: exponentialBackoff(0.1), timeoutSeconds: 5 },
  async (symbol: string) => {
    if (++calls < 3) throw new Error(`503 for ${symbol}`); // flaky on purpose: watch it retry
    return [100, 102, 104];
  },
);
const average = task({ name: 'average' }, (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length);

const report = flow(
  // parameterNames keeps '{symbol}' working in minified bundles, which rename `symbol`.
  { name: 'report', flowRunName: 'report-{symbol}', parameterNames: ['symbol'] },
  async (symbol: string) => average(await fetchPrices(symbol)),
);

runStates$.subscribe(({ run, state }) => console.log(`${run.name.padEnd(16)} ${state.name}`));
report('ACME').then((avg) => console.log(`average: ${avg}`));
// #endregion readme
