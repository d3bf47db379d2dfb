import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { utf8 } from '../results/utf8.js';

const MEMO_LIMIT = 4096;
const memo = new Map<string, string>();

/**
 * @internal The SHA-256 of `text` (UTF-8) as 64 hex digits. A cache hit hashes the same text as
 * the run that filled the entry, so the digests of the last few thousand texts are kept: SHA-256
 * in JavaScript costs a few microseconds, a map lookup a fraction of one. Oldest first out.
 */
export function sha256Hex(text: string, remember = true): string {
  if (!remember) return bytesToHex(sha256(utf8.encode(text)));
  const known = memo.get(text);
  if (known !== undefined) return known;
  const digest = bytesToHex(sha256(utf8.encode(text)));
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(text, digest);
  return digest;
}

/** @internal The SHA-256 of bytes as hex, not memoised (record checksums). */
export function sha256OfBytes(data: Uint8Array): string {
  return bytesToHex(sha256(data));
}

const sources = new WeakMap<object, string>();

/** @internal The SHA-256 of a function's source text, computed once per function. */
export function sourceHash(fn: (...args: never[]) => unknown): string {
  let hash = sources.get(fn);
  if (hash === undefined) {
    let source: string;
    try {
      source = Function.prototype.toString.call(fn);
    } catch {
      source = fn.name;
    }
    hash = bytesToHex(sha256(utf8.encode(source)));
    sources.set(fn, hash);
  }
  return hash;
}
