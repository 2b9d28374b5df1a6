import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

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

export interface LockoutPolicy {
  maxFailures: number;
  lockoutMs: number;
}

/** Counts wrong PINs; after maxFailures in a row staff mode is locked for lockoutMs. */
export class StaffPinGuard {
  private failures = 0;
  private lockedUntil = 0;
  constructor(
    private readonly stored: string,
    private readonly policy: LockoutPolicy = { maxFailures: 5, lockoutMs: 5 * 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  async attempt(pin: string): Promise<{ ok: true } | { ok: false; lockedForMs: number; attemptsLeft: number }> {
    const lockedForMs = this.lockedUntil - this.now();
    if (lockedForMs > 0) return { ok: false, lockedForMs, attemptsLeft: 0 };
    if (isStaffPinShaped(pin) && (await staffPinMatches(pin, this.stored))) {
      this.failures = 0;
      return { ok: true };
    }
    this.failures += 1;
    if (this.failures >= this.policy.maxFailures) {
      this.failures = 0;
      this.lockedUntil = this.now() + this.policy.lockoutMs;
      return { ok: false, lockedForMs: this.policy.lockoutMs, attemptsLeft: 0 };
    }
    return { ok: false, lockedForMs: 0, attemptsLeft: this.policy.maxFailures - this.failures };
  }
}
