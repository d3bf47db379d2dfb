/**
 * CPU-bound work for the worker-thread section of examples/docs/concurrency.ts. Every worker
 * thread imports this module, so it only defines functions: no work starts on import.
 */

/** How many primes are below `limit` (trial division: slow on purpose). */
export function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) if (isPrime(n)) count++;
  return count;
}

function isPrime(n: number): boolean {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}
