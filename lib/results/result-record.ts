import { sha256OfBytes } from '../cache/hash.js';
import { ResultRecordError } from './result-record-error.js';
import { utf8 } from './utf8.js';

/** @internal What a stored record says about its result (its header line). */
export interface RecordHeader {
  /** The key it was written under (a record found under another key is not used). */
  readonly key: string;
  /** The name of the serializer that wrote the payload. */
  readonly serializer: string;
  /** When the entry expires, in ms on the engine clock; null: never. */
  readonly expiration: number | null;
  /** When it was written, in ms on the engine clock. */
  readonly createdAt: number;
  /** The payload's length in bytes. */
  readonly length: number;
}

const MAGIC = 'rxflow-result/1 ';
const NEWLINE = 0x0a;
// The first line: the magic, then the SHA-256 (hex) of everything after that line.
const FIRST_LINE = MAGIC.length + 64 + 1;

/**
 * @internal A record's bytes: a first line with the format's name and the SHA-256 of the rest,
 * a one-line JSON header, then the serializer's payload. The checksum covers header and payload,
 * so {@link decodeRecord} tells a truncated or damaged record (even one whose expiry was
 * altered) from a good one.
 */
export function encodeRecord(
  fields: Omit<RecordHeader, 'length'>,
  payload: Uint8Array,
): { bytes: Uint8Array; header: RecordHeader } {
  const header: RecordHeader = {
    key: fields.key,
    serializer: fields.serializer,
    expiration: fields.expiration,
    createdAt: fields.createdAt,
    length: payload.length,
  };
  const head = utf8.encode(JSON.stringify(header));
  const bytes = new Uint8Array(FIRST_LINE + head.length + 1 + payload.length);
  bytes.set(head, FIRST_LINE);
  bytes[FIRST_LINE + head.length] = NEWLINE;
  bytes.set(payload, FIRST_LINE + head.length + 1);
  const sum = sha256OfBytes(bytes.subarray(FIRST_LINE));
  bytes.set(utf8.encode(`${MAGIC}${sum}\n`), 0);
  return { bytes, header };
}

/** @internal A record's header and payload; throws a {@link ResultRecordError} saying what is wrong. */
export function decodeRecord(key: string, bytes: Uint8Array): { header: RecordHeader; payload: Uint8Array } {
  const bad = (problem: string, cause?: unknown) =>
    new ResultRecordError(key, `The stored result '${key}' ${problem}`, { cause });
  if (!(bytes instanceof Uint8Array)) throw bad(`is not bytes (the storage returned ${typeof bytes})`);
  if (bytes.length < FIRST_LINE || bytes[FIRST_LINE - 1] !== NEWLINE) {
    throw bad('is truncated or not an rxflow result record');
  }
  let first: string;
  try {
    first = utf8.decode(bytes.subarray(0, FIRST_LINE - 1));
  } catch (error) {
    throw bad('is not an rxflow result record', error);
  }
  if (!first.startsWith(MAGIC))
    throw bad('is not an rxflow result record of a format this version understands');
  const rest = bytes.subarray(FIRST_LINE);
  if (sha256OfBytes(rest) !== first.slice(MAGIC.length))
    throw bad('is truncated or damaged: its checksum does not match');
  const end = rest.indexOf(NEWLINE);
  let header: RecordHeader;
  try {
    header = JSON.parse(utf8.decode(rest.subarray(0, end < 0 ? rest.length : end))) as RecordHeader;
  } catch (error) {
    throw bad('has a corrupt header', error);
  }
  if (
    end < 0 ||
    header === null ||
    typeof header !== 'object' ||
    typeof header.key !== 'string' ||
    typeof header.serializer !== 'string' ||
    typeof header.length !== 'number' ||
    typeof header.createdAt !== 'number' ||
    (header.expiration !== null && typeof header.expiration !== 'number')
  ) {
    throw bad('has a header this version of rxflow does not understand');
  }
  if (header.key !== key) throw bad(`was written under another key ('${header.key}')`);
  const payload = rest.subarray(end + 1);
  if (payload.length !== header.length) {
    throw bad(`is damaged: ${payload.length} bytes of payload, the header says ${header.length}`);
  }
  return { header, payload };
}
