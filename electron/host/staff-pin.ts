import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STAFF_TOKEN_HEADER, STAFF_TOKEN_PROBLEM } from '../../sync/protocol/kiosk-host-api';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** Staff PINs are 4 to 8 digits, typed on the kiosk's keypad. */
export function isStaffPinShaped(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}

/** A PIN has few digits, so it is stored with a slow, salted hash and guarded by a lockout. */
export async function hashStaffPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(pin, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function staffPinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(pin, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * A kiosk stands in a public hall: anyone may type guesses, so the lockout must slow guessing
 * down without letting a passer-by keep staff out for long. `freeGuesses` wrong PINs are allowed
 * in a row; then staff mode locks for `firstLockoutMs`, doubling at each further lockout up to
 * `maxLockoutMs`, with one guess allowed between lockouts. A right PIN ends it all; so does a
 * quiet `forgetAfterMs` with no guesses.
 */
export interface LockoutPolicy {
  freeGuesses: number;
  firstLockoutMs: number;
  maxLockoutMs: number;
  forgetAfterMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { freeGuesses: 5, firstLockoutMs: 30_000, maxLockoutMs: 5 * 60_000, forgetAfterMs: 60 * 60_000 };

export type PinAttempt = { ok: true } | { ok: false; lockedForMs: number; attemptsLeft: number };

/**
 * Counts each guess before its hash is checked, so guesses sent at once cannot all slip in while
 * the slow hashes run: the guess that uses up the allowance locks staff mode at once, and later
 * ones are refused without a check.
 */
export class StaffPinGuard {
  private guesses = 0;
  private lockouts = 0;
  private lockedUntil = 0;
  private lastGuessAt = 0;

  constructor(
    private readonly stored: string,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
    private readonly now: () => number = Date.now,
    private readonly matches: (pin: string, stored: string) => Promise<boolean> = staffPinMatches,
  ) {}

  private lockoutMs(): number {
    return Math.min(this.policy.firstLockoutMs * 2 ** this.lockouts, this.policy.maxLockoutMs);
  }

  async attempt(pin: string): Promise<PinAttempt> {
    const now = this.now();
    if (this.lockedUntil > now) return { ok: false, lockedForMs: this.lockedUntil - now, attemptsLeft: 0 };
    if (now - this.lastGuessAt > this.policy.forgetAfterMs) this.lockouts = 0;
    if (this.lockedUntil !== 0) {
      // A lockout just ended: one guess until the next, longer one.
      this.lockedUntil = 0;
      this.guesses = 0;
    }
    this.lastGuessAt = now;
    const allowance = this.lockouts === 0 ? this.policy.freeGuesses : 1;
    this.guesses += 1;
    const attemptsLeft = allowance - this.guesses;
    if (attemptsLeft === 0) {
      this.lockedUntil = now + this.lockoutMs();
      this.lockouts += 1;
    }
    if (isStaffPinShaped(pin) && (await this.matches(pin, this.stored))) {
      this.guesses = 0;
      this.lockouts = 0;
      this.lockedUntil = 0;
      return { ok: true };
    }
    return { ok: false, lockedForMs: Math.max(0, this.lockedUntil - this.now()), attemptsLeft };
  }
}

/**
 * Staff tokens: what a right PIN buys, kept in memory only (a restart ends staff mode). A token
 * works for `idleTimeoutMs` after its last use; a new unlock replaces the previous one, since one
 * kiosk has one staff member at its screen at a time.
 */
export class StaffTokens {
  private current: { token: string; expiresAt: number } | null = null;

  constructor(
    readonly idleTimeoutMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const token = randomBytes(32).toString('base64url');
    this.current = { token, expiresAt: this.now() + this.idleTimeoutMs };
    return token;
  }

  /** Whether the token is the live one; a use renews it. */
  check(token: string | undefined): boolean {
    const current = this.current;
    if (!token || !current) return false;
    const given = Buffer.from(token);
    const live = Buffer.from(current.token);
    if (given.length !== live.length || !timingSafeEqual(given, live)) return false;
    if (current.expiresAt <= this.now()) {
      this.current = null;
      return false;
    }
    current.expiresAt = this.now() + this.idleTimeoutMs;
    return true;
  }

  revoke(token: string | undefined): void {
    if (token && this.current?.token === token) this.current = null;
  }
}

/** A preHandler for staff routes: 401, and nothing done, without the live staff token. */
export function requireStaffToken(tokens: StaffTokens) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.headers[STAFF_TOKEN_HEADER];
    if (!tokens.check(typeof token === 'string' ? token : undefined)) {
      return reply.code(401).send({
        statusCode: 401,
        error: STAFF_TOKEN_PROBLEM,
        message: 'Staff mode has ended (no staff token, or it expired): unlock it again with the staff PIN.',
      });
    }
  };
}
