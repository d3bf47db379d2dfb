import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'gates-property.ts');

interface Report {
  seed: number;
  numRuns: number;
  failed: boolean;
  counterexample: string | null;
  counterexamplePath: string | null;
  error: string | null;
}

// The property runs in a plain Node child process (see fixtures/gates-property.ts): inside a Jest
// test, process-level 'unhandledRejection' listeners never fire. FC_SEED (and FC_NUM_RUNS) in
// the environment pass through to it, to replay a failure.
describe('the engine’s gates (property)', () => {
  it('should end every run and free every slot and lock, whatever the bodies, gates and cancellations', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      timeout: 100_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const report = JSON.parse(stdout) as Report;
    if (report.failed) {
      throw new Error(
        `The gates property failed with seed ${report.seed} (replay: FC_SEED=${report.seed} npx jest spec/engine/gates.property.spec.ts):\n` +
          `${report.error ?? ''}\ncounterexample: ${report.counterexample ?? ''} (path ${report.counterexamplePath ?? ''})`,
      );
    }
    expect(report.numRuns).toBeGreaterThan(0);
  }, 120_000);
});
