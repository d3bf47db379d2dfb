// One child process: builds one variant of one scenario and measures it. Run by run.mjs as
// `node --expose-gc bench/lib/child.mjs <scenario file> <variant> <n> <reps> <passes>`; the result
// (or the error) goes back over the IPC channel.
import { measure } from './measure.mjs';
import { loadScenario, variantSpec } from './scenarios.mjs';

// Exit once the message is out: the libraries under test may leave timers or handles behind.
const reply = (message) => process.send(message, () => process.exit(0));

const [file, variant, nArg, repsArg, passes] = process.argv.slice(2);

try {
  const scenario = await loadScenario(file);
  const n = Number(nArg);
  const run = await variantSpec(scenario, variant).setup();
  const result = await measure({ run, n, reps: Number(repsArg), expected: scenario.expected(n), passes });
  reply({ ok: true, result });
} catch (error) {
  reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
