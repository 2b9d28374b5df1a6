import { createHash, randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type pg from 'pg';
import { withTransaction } from '../database';
import { hashOperatorPassword, normaliseLogin, operatorById, type Operator } from '../admin/operators';

/** A signed-in session lasts a working day; after that the operator signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;
/** Failures allowed before the first lockout. */
export const FREE_FAILURES = 5;
const FIRST_LOCKOUT_MS = 30_000;
const LONGEST_LOCKOUT_MS = 60 * 60_000;

/**
 * How long a login is locked after this many failures in a row: nothing for the first few
 * (people mistype), then 30 s, doubling with each further failure, up to an hour.
 */
export function lockoutMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_LOCKOUT_MS * 2 ** (failures - FREE_FAILURES), LONGEST_LOCKOUT_MS);
}

export type SignInResult =
  | { ok: true; operator: Operator; sessionToken: string }
  | { ok: false; reason: 'wrong-password' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// Verified against when the login is unknown, so a wrong login costs as long as a wrong password.
let decoyHash: Promise<string> | null = null;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Checks a password, counting failures per login name, and opens a session on success. */
export async function signIn(pool: pg.Pool, rawLogin: string, password: string, now = new Date()): Promise<SignInResult> {
  const login = normaliseLogin(rawLogin);
  const { rows: attempts } = await pool.query<{ locked_until: Date | null }>('select locked_until from operator_login_attempts where login = $1', [login]);
  const lockedUntil = attempts[0]?.locked_until;
  if (lockedUntil && lockedUntil.getTime() > now.getTime()) {
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  const { rows } = await pool.query<{ id: string; password_hash: string }>(
    'select id, password_hash from operators where login = $1 and disabled_at is null',
    [login],
  );
  const account = rows[0];
  decoyHash ??= hashOperatorPassword(randomBytes(16).toString('hex'));
  const matches = await verify(account?.password_hash ?? (await decoyHash), password).catch(() => false);
  if (!account || !matches) {
    const { rows: counted } = await pool.query<{ failures: number }>(
      `insert into operator_login_attempts (login, failures, last_failure_at) values ($1, 1, $2)
       on conflict (login) do update set failures = operator_login_attempts.failures + 1, last_failure_at = $2
       returning failures`,
      [login, now],
    );
    const wait = lockoutMs(counted[0]?.failures ?? 1);
    if (wait > 0) {
      await pool.query('update operator_login_attempts set locked_until = $2 where login = $1', [login, new Date(now.getTime() + wait)]);
      return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(wait / 1000) };
    }
    return { ok: false, reason: 'wrong-password' };
  }
  const sessionToken = randomBytes(32).toString('base64url');
  const operator = await withTransaction(pool, async (client) => {
    await client.query('delete from operator_login_attempts where login = $1', [login]);
    await client.query('delete from operator_sessions where operator_id = $1 and expires_at <= $2', [account.id, now]);
    await client.query('insert into operator_sessions (token_hash, operator_id, created_at, last_used_at, expires_at) values ($1, $2, $3, $3, $4)', [
      tokenHash(sessionToken),
      account.id,
      now,
      new Date(now.getTime() + SESSION_TTL_MS),
    ]);
    const signedIn = await operatorById(client, account.id);
    if (!signedIn) throw new Error(`Operator ${account.id} vanished while signing in.`);
    return signedIn;
  });
  return { ok: true, operator, sessionToken };
}

/** The operator behind a session cookie, or null when it is unknown, expired or their account is disabled. */
export async function sessionOperator(pool: pg.Pool, sessionToken: string, now = new Date()): Promise<Operator | null> {
  const { rows } = await pool.query<{ operator_id: string }>('select operator_id from operator_sessions where token_hash = $1 and expires_at > $2', [
    tokenHash(sessionToken),
    now,
  ]);
  const row = rows[0];
  return row ? operatorById(pool, row.operator_id) : null;
}

export async function signOut(pool: pg.Pool, sessionToken: string): Promise<void> {
  await pool.query('delete from operator_sessions where token_hash = $1', [tokenHash(sessionToken)]);
}
