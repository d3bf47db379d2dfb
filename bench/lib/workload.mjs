// The operation every scenario repeats, and its checksum: call(i) must resolve to i + 1.
//
// Checksums are order-sensitive: result rᵢ of the i-th operation (0-based, in the order the
// scenario defines) counts (i + 1) times, so a run that returns another call's result, or a
// list in the wrong order, fails the pass even when the plain sum of the results is right. The sum
// is kept modulo the prime 2³¹ − 1 so that it stays exact in a double at any N (Σ (i+1)² is about
// 3·10¹⁷ for a million operations): the accumulator is reduced only when it passes 2⁵², so the hot
// loop pays one multiply, one add and one compare per operation. A transposition of results rᵢ ≠ rⱼ
// changes the sum by (i − j)(rⱼ − rᵢ), which no N or result this bench uses makes a multiple of
// the prime.

/** The function under test in every scenario: as cheap as an async function can be. */
export const addOne = async (x) => x + 1;

const PRIME = 2_147_483_647;
const REDUCE_ABOVE = 2 ** 52;

/**
 * Adds result `r` of operation `i` (0-based) to the running checksum `sum`; start from 0 and pass
 * the end value through {@link finish}. Exact while (i + 1)·r stays below 2⁵² (here it is at most
 * about 10¹²).
 */
export const weigh = (sum, i, r) => {
  const next = sum + (i + 1) * r;
  return next < REDUCE_ABOVE ? next : next % PRIME;
};

/** The checksum of a running sum built with {@link weigh}. */
export const finish = (sum) => sum % PRIME;

/** The ordered checksum of a list of results: Σ (i + 1)·rᵢ (mod 2³¹ − 1). */
export function checksumOf(results) {
  let sum = 0;
  for (let i = 0; i < results.length; i++) sum = weigh(sum, i, results[i]);
  return finish(sum);
}

/** The checksum that n operations must give when operation i resolves to `resultOf(i)`. */
export function expectedChecksum(n, resultOf) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = weigh(sum, i, resultOf(i));
  return finish(sum);
}

/** Awaits `call(i)` for i = 0 … n-1, one after another, and returns the ordered checksum. */
export async function sequentialSum(call, n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum = weigh(sum, i, await call(i));
  return finish(sum);
}

/** The checksum of `sequentialSum` (and of any ordered list) when call(i) resolves to i + 1. */
export const sumOfSuccessors = (n) => expectedChecksum(n, (i) => i + 1);

/**
 * The checksum of the order-insensitive scenarios (B2, whose operators emit in completion order,
 * an order nobody defines): the plain sum of the results, n(n+1)/2 when call(i) resolves to i + 1.
 */
export const unorderedSumOfSuccessors = (n) => (n * (n + 1)) / 2;

/** A scenario variant that builds `call` once (`makeCall` may be async), then sums n sequential calls. */
export const sequential = (makeCall) => async () => {
  const call = await makeCall();
  return (n) => sequentialSum(call, n);
};
