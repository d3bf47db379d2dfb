// The operation every scenario repeats, and its checksum: call(i) must resolve to i + 1.

/** The function under test in every scenario: as cheap as an async function can be. */
export const addOne = async (x) => x + 1;

/** Awaits `call(i)` for i = 0 … n-1, one after another, and returns the sum of the results. */
export async function sequentialSum(call, n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await call(i);
  return sum;
}

/** The checksum of `sequentialSum` when call(i) resolves to i + 1. */
export const sumOfSuccessors = (n) => (n * (n + 1)) / 2;

/** A scenario variant that builds `call` once (`makeCall` may be async), then sums n sequential calls. */
export const sequential = (makeCall) => async () => {
  const call = await makeCall();
  return (n) => sequentialSum(call, n);
};
