import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'unhandled-rejections.ts');

// Inside a Jest test, `process.on('unhandledRejection')` registers on Jest's copy of `process`
// and never fires (Jest handles such rejections itself), so the listener and the scenarios run
// in a plain Node child process: see fixtures/unhandled-rejections.ts.
describe('the engine', () => {
  it('should let no unhandled rejection or uncaught error escape from failures, cancellations and timeouts', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      timeout: 15_000,
    });
    const report = JSON.parse(stdout) as Record<string, string[]>;
    expect(report).toEqual({
      // The control proves the listener works.
      'control: a rejection handled too late': ['unhandledRejection Error: deliberately unhandled'],
      'failing, retried and non-retriable runs': [],
      'hooks that throw or reject': [],
      'bodies rejecting after a timeout': [],
      'bodies rejecting after a cancellation': [],
      'flow timeouts, cancelled children and late task calls': [],
      'parameter validation failures and crashed runs': [],
    });
  }, 20_000);
});
