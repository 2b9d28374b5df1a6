import * as ed from '@noble/ed25519';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { AttendanceRecord } from './attendance-record';
import { fromBase64Url, toBase64Url } from './base64url';
import { ClassSession, ClassSessionAnswer } from './class-session';
import { Code, IsoDateTime } from './common';
import { LessonProgress } from './lesson-progress';

/**
 * Records carried by hand (docs/check-in-and-sync.md, "Records by USB"). A kiosk that cannot reach
 * the platform writes every record the platform has not acknowledged into one *record bundle*,
 * signed with the kiosk's own Ed25519 key (registered with the platform on its first sync); the
 * platform imports it through the same code as a push and answers with a *receipt bundle* signed
 * with its active issuer key, which the kiosk already holds to check learner cards.
 *
 * A bundle file is two parts: one header line of JSON (format, version, signature) and then the
 * body, JSON, exactly as signed. Signing the body's bytes as written, rather than a re-encoding of
 * the parsed body, leaves one byte sequence to verify: any altered or missing byte fails the
 * signature (or the parse), and the whole file is refused. The signed message starts with the
 * format name, so a bundle signature can never pass for a receipt's, nor for a learner card's.
 */

export const RECORD_BUNDLE_FORMAT = 'yuexue-record-bundle';
export const RECORD_RECEIPT_FORMAT = 'yuexue-record-receipt';
export const BUNDLE_FORMAT_VERSION = 1;
/** The largest bundle either side reads: far above 10,000 records (about 6 MB). */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/** An Ed25519 public key, 32 bytes in base64url. */
export const BundlePublicKey = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
/** The header the kiosk host sends on every relayed sync request, so the platform learns its bundle key. */
export const BUNDLE_KEY_HEADER = 'x-yuexue-bundle-key';

/** The records a kiosk pushes, by collection, as it would push them (no kiosk-only fields). */
export const BundledRecords = Type.Object(
  {
    class_sessions: Type.Array(ClassSession),
    attendance: Type.Array(AttendanceRecord),
    lesson_progress: Type.Array(LessonProgress),
  },
  { additionalProperties: false },
);
export type BundledRecords = Static<typeof BundledRecords>;

export const RecordBundleBody = Type.Object(
  {
    kioskId: Code,
    siteId: Code,
    /**
     * The kiosk's bundle number: 1 for its first bundle, one more for each after it (kept in the
     * kiosk's data folder). Every bundle holds all the kiosk's unacknowledged records, so a later
     * bundle supersedes an earlier one; the receipt names the number it answers.
     */
    bundleSeq: Type.Integer({ minimum: 1 }),
    createdAt: IsoDateTime,
    records: BundledRecords,
  },
  { additionalProperties: false },
);
export type RecordBundleBody = Static<typeof RecordBundleBody>;

/** The platform's stored state of every record of a bundle: the same answers a push gets. */
export const ReceiptRecords = Type.Object(
  {
    class_sessions: Type.Array(ClassSessionAnswer),
    attendance: Type.Array(AttendanceRecord),
    lesson_progress: Type.Array(LessonProgress),
  },
  { additionalProperties: false },
);
export type ReceiptRecords = Static<typeof ReceiptRecords>;

export const RecordReceiptBody = Type.Object(
  {
    kioskId: Code,
    siteId: Code,
    bundleSeq: Type.Integer({ minimum: 1 }),
    /** SHA-256 (hex) of the bundle body this receipt answers. */
    bundleSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    importedAt: IsoDateTime,
    /** The issuer key that signed the receipt: the kiosk has it from its key pull. */
    issuerKeyId: Code,
    records: ReceiptRecords,
  },
  { additionalProperties: false },
);
export type RecordReceiptBody = Static<typeof RecordReceiptBody>;

const BundleHeader = Type.Object(
  {
    format: Type.Union([Type.Literal(RECORD_BUNDLE_FORMAT), Type.Literal(RECORD_RECEIPT_FORMAT)]),
    version: Type.Literal(BUNDLE_FORMAT_VERSION),
    signature: Type.String({ pattern: '^[A-Za-z0-9_-]{86}$' }),
  },
  { additionalProperties: false },
);
type BundleHeader = Static<typeof BundleHeader>;

const headerCheck = Compile(BundleHeader);
const bundleBodyCheck = Compile(RecordBundleBody);
const receiptBodyCheck = Compile(RecordReceiptBody);

/** Why a bundle or receipt file cannot be used; `code` lets each side word it for its people. */
export type BundleProblem = 'not-a-bundle' | 'wrong-kind' | 'truncated' | 'bad-signature' | 'unknown-kiosk' | 'revoked-kiosk' | 'no-key' | 'wrong-site' | 'too-large';

export class BundleRefused extends Error {
  constructor(
    readonly code: BundleProblem,
    message: string,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function signedMessage(format: BundleHeader['format'], body: Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${format}/${BUNDLE_FORMAT_VERSION}\n`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  return message;
}

async function encodeSigned(format: BundleHeader['format'], body: unknown, secretKey: Uint8Array): Promise<Uint8Array> {
  const bodyBytes = encoder.encode(JSON.stringify(body));
  const signature = toBase64Url(await ed.signAsync(signedMessage(format, bodyBytes), secretKey));
  const header = encoder.encode(`${JSON.stringify({ format, version: BUNDLE_FORMAT_VERSION, signature } satisfies BundleHeader)}\n`);
  const file = new Uint8Array(header.length + bodyBytes.length);
  file.set(header);
  file.set(bodyBytes, header.length);
  return file;
}

/** A file split into its header and the body bytes, both checked for shape but not yet for signature. */
export interface OpenedBundle<Body> {
  format: BundleHeader['format'];
  body: Body;
  bodyBytes: Uint8Array;
  signature: Uint8Array;
}

function open<Body>(file: Uint8Array, format: BundleHeader['format'], check: { Check(value: unknown): boolean }): OpenedBundle<Body> {
  const what = format === RECORD_BUNDLE_FORMAT ? 'record bundle' : 'receipt';
  if (file.length > MAX_BUNDLE_BYTES) throw new BundleRefused('too-large', `The file is ${file.length} bytes; a ${what} is at most ${MAX_BUNDLE_BYTES}.`);
  const newline = file.indexOf(0x0a);
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(file.subarray(0, newline < 0 ? file.length : newline)));
  } catch {
    throw new BundleRefused('not-a-bundle', `This file is not a ${what} (its first line is not a bundle header).`);
  }
  if (!headerCheck.Check(header)) throw new BundleRefused('not-a-bundle', `This file is not a ${what} this version can read.`);
  if (header.format !== format) {
    throw new BundleRefused('wrong-kind', header.format === RECORD_BUNDLE_FORMAT ? 'This file is a record bundle, not a receipt.' : 'This file is a receipt, not a record bundle.');
  }
  if (newline < 0) throw new BundleRefused('truncated', `The ${what} ends after its header: it was cut short. Export it again.`);
  const bodyBytes = file.subarray(newline + 1);
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(bodyBytes));
  } catch {
    throw new BundleRefused('truncated', `The ${what} is cut short or damaged (its body is not complete JSON). Export it again.`);
  }
  if (!check.Check(body)) throw new BundleRefused('truncated', `The ${what} is damaged: its body does not have the expected fields. Export it again.`);
  return { format, body: body as Body, bodyBytes, signature: fromBase64Url(header.signature) };
}

/** Verifies an opened file's signature with a 32-byte public key (base64url); throws BundleRefused. */
export async function verifyBundleSignature(opened: OpenedBundle<unknown>, publicKey: string, signer: string): Promise<void> {
  let valid: boolean;
  try {
    valid = await ed.verifyAsync(opened.signature, signedMessage(opened.format, opened.bodyBytes), fromBase64Url(publicKey));
  } catch {
    // A malformed key or signature throws: that is a failed check too.
    valid = false;
  }
  if (!valid) throw new BundleRefused('bad-signature', `The signature does not match ${signer}'s key: the file was altered or damaged. Nothing was imported.`);
}

export function encodeRecordBundle(body: RecordBundleBody, kioskSecretKey: Uint8Array): Promise<Uint8Array> {
  return encodeSigned(RECORD_BUNDLE_FORMAT, body, kioskSecretKey);
}

export function openRecordBundle(file: Uint8Array): OpenedBundle<RecordBundleBody> {
  return open<RecordBundleBody>(file, RECORD_BUNDLE_FORMAT, bundleBodyCheck);
}

export function encodeRecordReceipt(body: RecordReceiptBody, issuerSecretKey: Uint8Array): Promise<Uint8Array> {
  return encodeSigned(RECORD_RECEIPT_FORMAT, body, issuerSecretKey);
}

export function openRecordReceipt(file: Uint8Array): OpenedBundle<RecordReceiptBody> {
  return open<RecordReceiptBody>(file, RECORD_RECEIPT_FORMAT, receiptBodyCheck);
}

/** SHA-256 of a bundle's body, in hex: what a receipt names, so the kiosk can tell which export it answers. */
export async function bundleBodySha256(bodyBytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bodyBytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function bundleRecordCount(records: BundledRecords | ReceiptRecords): number {
  return records.class_sessions.length + records.attendance.length + records.lesson_progress.length;
}

/** The file names on a drive: one bundle and one receipt per kiosk, each replaced whole by the next. */
export function recordBundleFileName(kioskId: string): string {
  return `yuexue-records-${kioskId}.yxbundle`;
}
export function recordReceiptFileName(kioskId: string): string {
  return `yuexue-receipt-${kioskId}.yxreceipt`;
}
export const RECORD_BUNDLE_FILE_PATTERN = /^yuexue-records-([A-Za-z0-9_-]+)\.yxbundle$/;

/** A kiosk's bundle key pair, both halves in base64url. */
export async function generateBundleKeyPair(): Promise<{ secretKey: string; publicKey: string }> {
  const secretKey = ed.utils.randomSecretKey();
  return { secretKey: toBase64Url(secretKey), publicKey: toBase64Url(await ed.getPublicKeyAsync(secretKey)) };
}

/** How a receipt's records stand, counted by the state the kiosk will show for each. */
export function recordSyncSummary(records: ReceiptRecords): Record<'received' | 'held' | 'refused', number> {
  const counts = { received: 0, held: 0, refused: 0 };
  for (const record of [...records.class_sessions, ...records.attendance, ...records.lesson_progress]) {
    const r = record as { refusal?: unknown; review?: { status: string } };
    if (r.refusal !== undefined) counts.refused += 1;
    else if (r.review?.status === 'held') counts.held += 1;
    else counts.received += 1;
  }
  return counts;
}
