import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from './database';
import type { EnrolmentPollAnswer, NewKiosk } from '../protocol/enrolment';
import { createKiosk, EnrolmentRefused } from './enrolment';
import { hashSecret, secretMatches } from './kiosk-credential';
import { AdminNotFound } from './admin/sites';

/**
 * Kiosk self-enrolment, shaped like OAuth's device authorization flow (RFC 8628): the kiosk asks
 * for a request and shows its user code; an admin approves the code for a site; the kiosk, which
 * alone holds the poll secret, collects its credential once.
 */

/** Long enough to reach an admin by phone; a kiosk whose request expires simply asks again. */
const REQUEST_TTL_MS = 60 * 60_000;
/** Unanswered requests are deleted this long after they expire, so unauthenticated requests cannot pile up. */
const UNANSWERED_KEPT_MS = 24 * 60 * 60_000;
/** RFC 8628 §6.1's base-20 alphabet: no vowels, so no words, and nothing to confuse with a digit. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LETTERS = 8;

export interface EnrolmentRequest {
  requestId: string;
  /** Shown on the kiosk as XXXX-XXXX and in its QR code's approval link. */
  userCode: string;
  /** Known only to the kiosk; the platform keeps its hash. */
  pollSecret: string;
  expiresAt: Date;
}

export interface PendingEnrolmentRequest {
  userCode: string;
  kioskName: string;
  createdAt: Date;
  expiresAt: Date;
}

function newUserCode(): string {
  const letters = Array.from({ length: USER_CODE_LETTERS }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

/** The code as people type it (any case, with or without the dash or spaces), or null if it cannot be one. */
export function normaliseUserCode(input: string): string | null {
  const letters = input.toUpperCase().replace(/[\s-]/g, '');
  if (letters.length !== USER_CODE_LETTERS || [...letters].some((c) => !USER_CODE_ALPHABET.includes(c))) return null;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export async function createEnrolmentRequest(pool: pg.Pool, kiosk: NewKiosk, now = new Date()): Promise<EnrolmentRequest> {
  await pool.query(
    'delete from enrolment_requests where expires_at < $1 and approved_at is null and refused_at is null',
    [new Date(now.getTime() - UNANSWERED_KEPT_MS)],
  );
  const requestId = randomUUID();
  const pollSecret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + REQUEST_TTL_MS);
  // 20^8 codes make a clash rare; when one happens, drawing again is simpler than reserving codes.
  for (let attempt = 0; attempt < 5; attempt++) {
    const userCode = newUserCode();
    const { rowCount } = await pool.query(
      `insert into enrolment_requests (id, user_code, poll_secret_hash, kiosk_name, bundle_public_key, created_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict (user_code) do nothing`,
      [requestId, userCode, hashSecret(pollSecret), kiosk.kioskName, kiosk.bundlePublicKey ?? null, now, expiresAt],
    );
    if (rowCount) return { requestId, userCode, pollSecret, expiresAt };
  }
  throw new Error('No free enrolment user code was found; try again.');
}

/**
 * The kiosk's poll. Once approved, the credential is minted here, with the request row locked,
 * so two polls racing cannot both collect one; every later poll is answered 409.
 */
export async function pollEnrolmentRequest(pool: pg.Pool, requestId: string, pollSecret: string, now = new Date()): Promise<EnrolmentPollAnswer> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{
      poll_secret_hash: string;
      kiosk_name: string;
      bundle_public_key: string | null;
      expires_at: Date;
      site_id: string | null;
      refused_at: Date | null;
      kiosk_id: string | null;
    }>('select poll_secret_hash, kiosk_name, bundle_public_key, expires_at, site_id, refused_at, kiosk_id from enrolment_requests where id = $1 for update', [requestId]);
    const row = rows[0];
    if (!row) throw new EnrolmentRefused(404, 'This enrolment request is not known. Ask for a new one.');
    if (!secretMatches(pollSecret, row.poll_secret_hash)) throw new EnrolmentRefused(403, 'This is not the secret of this enrolment request.');
    if (row.kiosk_id) throw new EnrolmentRefused(409, 'This enrolment request has already been completed. Ask for a new one.');
    if (row.refused_at) return { status: 'refused' };
    // Once approved, the kiosk may collect its credential after the expiry too: it may have been
    // offline for a while, and the request can no longer be approved for anyone else.
    if (row.site_id) {
      const kiosk = await createKiosk(client, row.site_id, { kioskName: row.kiosk_name, bundlePublicKey: row.bundle_public_key ?? undefined });
      await client.query('update enrolment_requests set kiosk_id = $2, completed_at = $3 where id = $1', [requestId, kiosk.kioskId, now]);
      return { status: 'enrolled', ...kiosk };
    }
    if (row.expires_at.getTime() <= now.getTime()) throw new EnrolmentRefused(410, 'This enrolment request has expired. Ask for a new one.');
    return { status: 'pending' };
  });
}

export async function pendingEnrolmentRequests(pool: pg.Pool, now = new Date()): Promise<PendingEnrolmentRequest[]> {
  const { rows } = await pool.query<{ user_code: string; kiosk_name: string; created_at: Date; expires_at: Date }>(
    `select user_code, kiosk_name, created_at, expires_at from enrolment_requests
      where approved_at is null and refused_at is null and expires_at > $1 order by created_at`,
    [now],
  );
  return rows.map((r) => ({ userCode: r.user_code, kioskName: r.kiosk_name, createdAt: r.created_at, expiresAt: r.expires_at }));
}

/** Why a user code cannot be approved or refused now. */
export class EnrolmentRequestUnanswerable extends Error {
  constructor(
    readonly reason: 'unknown' | 'approved' | 'refused' | 'expired',
    message: string,
  ) {
    super(message);
  }
}

interface AnswerableRequest extends PendingEnrolmentRequest {
  id: string;
}

/** The request behind a user code while it can still be approved or refused, or why not. */
async function answerableRequest(db: pg.ClientBase | pg.Pool, rawUserCode: string, now: Date, lock: boolean): Promise<AnswerableRequest> {
  const userCode = normaliseUserCode(rawUserCode);
  if (!userCode) throw new EnrolmentRequestUnanswerable('unknown', `"${rawUserCode}" is not an enrolment code (eight letters, XXXX-XXXX).`);
  const { rows } = await db.query<{ id: string; kiosk_name: string; created_at: Date; expires_at: Date; approved_at: Date | null; refused_at: Date | null }>(
    `select id, kiosk_name, created_at, expires_at, approved_at, refused_at from enrolment_requests where user_code = $1${lock ? ' for update' : ''}`,
    [userCode],
  );
  const row = rows[0];
  if (!row) throw new EnrolmentRequestUnanswerable('unknown', `No kiosk is asking to enrol with code ${userCode}.`);
  if (row.approved_at) throw new EnrolmentRequestUnanswerable('approved', `The request ${userCode} has already been approved.`);
  if (row.refused_at) throw new EnrolmentRequestUnanswerable('refused', `The request ${userCode} has already been refused.`);
  if (row.expires_at.getTime() <= now.getTime()) {
    throw new EnrolmentRequestUnanswerable('expired', `The request ${userCode} has expired; the kiosk now shows a new code.`);
  }
  return { id: row.id, userCode, kioskName: row.kiosk_name, createdAt: row.created_at, expiresAt: row.expires_at };
}

function withoutId({ userCode, kioskName, createdAt, expiresAt }: AnswerableRequest): PendingEnrolmentRequest {
  return { userCode, kioskName, createdAt, expiresAt };
}

/** A request that may still be answered (EnrolmentRequestUnanswerable says why not). */
export async function pendingEnrolmentRequest(pool: pg.Pool, userCode: string, now = new Date()): Promise<PendingEnrolmentRequest> {
  return withoutId(await answerableRequest(pool, userCode, now, false));
}

/** Approves a pending request for a site; the kiosk collects its credential on its next poll. */
export async function approveEnrolmentRequest(pool: pg.Pool, userCode: string, siteId: string, now = new Date()): Promise<PendingEnrolmentRequest & { siteId: string }> {
  return withTransaction(pool, async (client) => {
    const request = await answerableRequest(client, userCode, now, true);
    const { rows: site } = await client.query('select 1 from sites where id = $1', [siteId]);
    if (site.length === 0) throw new AdminNotFound(`Site ${siteId} does not exist.`);
    await client.query('update enrolment_requests set site_id = $2, approved_at = $3 where id = $1', [request.id, siteId, now]);
    return { ...withoutId(request), siteId };
  });
}

export async function refuseEnrolmentRequest(pool: pg.Pool, userCode: string, now = new Date()): Promise<PendingEnrolmentRequest> {
  return withTransaction(pool, async (client) => {
    const request = await answerableRequest(client, userCode, now, true);
    await client.query('update enrolment_requests set refused_at = $2 where id = $1', [request.id, now]);
    return withoutId(request);
  });
}
