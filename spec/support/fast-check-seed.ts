import fc from 'fast-check';

// Every fast-check property in the suite runs from one seed: FC_SEED when set (to replay a
// failure), else a fresh one per test file. fast-check prints the seed and path of a failing
// property in its error; setting FC_SEED to that seed replays the same cases.
const fromEnv = process.env.FC_SEED;
const seed =
  fromEnv === undefined || fromEnv === ''
    ? (Date.now() ^ (Math.random() * 0x100000000)) | 0
    : Number(fromEnv);
if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got '${fromEnv}'`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
