import { describe, expect, it } from 'vitest';
import { hashStaffPin, StaffPinGuard, StaffTokens, type LockoutPolicy } from '../../electron/host/staff-pin';

const policy: LockoutPolicy = { freeGuesses: 3, firstLockoutMs: 30_000, maxLockoutMs: 120_000, forgetAfterMs: 3_600_000 };

async function guardAt(start = 0) {
  const clock = { now: start };
  const checks: string[] = [];
  const guard = new StaffPinGuard(await hashStaffPin('2468'), policy, () => clock.now, async (pin) => {
    checks.push(pin);
    return pin === '2468';
  });
  return { guard, clock, checks };
}

describe('staff PIN lockout', () => {
  it('locks after the free guesses, then allows one guess per lockout, doubling up to the cap', async () => {
    const { guard, clock, checks } = await guardAt();
    expect(await guard.attempt('0001')).toEqual({ ok: false, lockedForMs: 0, attemptsLeft: 2 });
    expect(await guard.attempt('0002')).toEqual({ ok: false, lockedForMs: 0, attemptsLeft: 1 });
    expect(await guard.attempt('0003')).toEqual({ ok: false, lockedForMs: 30_000, attemptsLeft: 0 });
    expect(await guard.attempt('2468')).toMatchObject({ ok: false, lockedForMs: 30_000 });
    expect(checks).toEqual(['0001', '0002', '0003']);
    const lockouts: number[] = [];
    for (let i = 0; i < 4; i++) {
      clock.now += 200_000;
      const answer = await guard.attempt('0000');
      lockouts.push(answer.ok ? -1 : answer.lockedForMs);
    }
    expect(lockouts).toEqual([60_000, 120_000, 120_000, 120_000]);
    clock.now += 120_000;
    expect(await guard.attempt('2468')).toEqual({ ok: true });
    // A right PIN starts over with the free guesses.
    expect(await guard.attempt('0001')).toMatchObject({ attemptsLeft: 2 });
  });

  it('counts guesses before their slow check, so a burst gets no more checks than the allowance', async () => {
    const { guard, checks } = await guardAt();
    const answers = await Promise.all(['0001', '0002', '0003', '0004', '2468'].map((pin) => guard.attempt(pin)));
    expect(checks).toEqual(['0001', '0002', '0003']);
    expect(answers.every((a) => !a.ok)).toBe(true);
  });

  it('refuses PINs that are not 4 to 8 digits without checking them, counting them as guesses', async () => {
    const { guard, checks } = await guardAt();
    expect(await guard.attempt('12')).toMatchObject({ ok: false, attemptsLeft: 2 });
    expect(checks).toEqual([]);
  });

  it('forgets earlier lockouts after a quiet hour', async () => {
    const { guard, clock } = await guardAt();
    for (const pin of ['0001', '0002', '0003']) await guard.attempt(pin);
    clock.now += 30_000;
    expect(await guard.attempt('0004')).toMatchObject({ lockedForMs: 60_000 });
    clock.now += policy.forgetAfterMs + 60_000;
    expect(await guard.attempt('0005')).toMatchObject({ lockedForMs: 0, attemptsLeft: 2 });
  });
});

describe('staff tokens', () => {
  it('work until idle for the timeout, each use renewing them; a new unlock or a lock ends them', () => {
    let now = 0;
    const tokens = new StaffTokens(1000, () => now);
    const first = tokens.issue();
    now = 900;
    expect(tokens.check(first)).toBe(true);
    now = 1800;
    expect(tokens.check(first)).toBe(true);
    now = 2801;
    expect(tokens.check(first)).toBe(false);
    const second = tokens.issue();
    const third = tokens.issue();
    expect(tokens.check(second)).toBe(false);
    expect(tokens.check(third)).toBe(true);
    expect(tokens.check(undefined)).toBe(false);
    expect(tokens.check(`${third}x`)).toBe(false);
    tokens.revoke(third);
    expect(tokens.check(third)).toBe(false);
  });
});
