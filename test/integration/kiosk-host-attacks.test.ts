import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourseCache } from '../../electron/host/course-cache/course-cache';
import { startKioskHost, type RunningKioskHost } from '../../electron/host/kiosk-host';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { StaffPinGuard, StaffTokens, staffPinMatches, DEFAULT_LOCKOUT_POLICY } from '../../electron/host/staff-pin';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { STAFF_TOKEN_HEADER } from '../../sync/protocol/kiosk-host-api';
import { demoAttendance } from '../support/attendance';
import { startPackageServer, testPackage, type PackageServer } from '../support/package-server';
import { startTestPlatform } from '../support/platform';
import { TEST_STAFF_PIN, testSettings } from '../support/kiosk';

/**
 * Replays each attack of issue 11 against a kiosk host relaying to a real platform: a page on
 * another site (DNS rebinding, a foreign Origin), a caller without the staff token or with an
 * expired one, and a burst of PIN guesses. Each is refused, and nothing changes.
 */

let work: string;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let packages: PackageServer;
let kiosk: RunningKioskHost;
let port: number;
let cache: CourseCache;
let sessionId: string;
const hashChecks: string[] = [];
let clock = Date.now();
const tokens = new StaffTokens(10 * 60_000, () => clock);
const lesson = randomBytes(5000);

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
}

/** Node's fetch will not send a Host or Origin of our choosing; http.request will, as any attacker's client does. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> | null;
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
          } catch {
            parsed = null;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const own = () => ({ host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` });
const unlock = (pin: string) => raw('POST', '/kiosk/staff/unlock', own(), { pin });

async function attendanceOnPlatform(): Promise<number> {
  const { rows } = await platform.database.pool.query<{ n: string }>('select count(*) as n from attendance');
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-attacks-'));
  platform = await startTestPlatform();
  const { kioskCredential } = await seedDemo(platform.database.pool, null);
  const { rows } = await platform.database.pool.query<{ id: string }>('select id from class_sessions where site_id = $1 limit 1', [DEMO_SITE_ID]);
  sessionId = rows[0]!.id;
  packages = await startPackageServer({ 'kept.bin': lesson });
  const rendererDir = join(work, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>kiosk</title></head><body></body></html>');
  cache = await CourseCache.open({ dir: join(work, 'courses'), budgetBytes: 1_000_000, minRetryMs: 1 });
  const settings = await testSettings(platform.url);
  kiosk = await startKioskHost({
    rendererDir,
    settings,
    enrolment: { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, credential: kioskCredential! },
    journalFile: join(work, JOURNAL_FILE),
    courseCache: cache,
    staffTokens: tokens,
    staffPinGuard: new StaffPinGuard(settings.staffPinHash, DEFAULT_LOCKOUT_POLICY, () => clock, async (pin, stored) => {
      hashChecks.push(pin);
      return staffPinMatches(pin, stored);
    }),
  });
  port = Number(new URL(kiosk.url).port);
  // A course on the kiosk, cached through the cache itself, for the removal attacks.
  await cache.ensureCourse(testPackage('kept', lesson), packages.url);
});

afterAll(async () => {
  await kiosk?.close();
  await packages?.close();
  await platform?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the kiosk host refuses pages of other sites', () => {
  it('refuses a wrong Host on the relay (DNS rebinding) and still relays for the kiosk itself', async () => {
    const rebound = await raw('GET', '/sync/learners/pull', { host: 'attacker.example' });
    expect(rebound.status).toBe(403);
    expect(rebound.body?.message).toMatch(/answers only to 127\.0\.0\.1:\d+.*"attacker\.example" was refused/);
    expect(JSON.stringify(rebound.body)).not.toContain('displayName');
    expect((await raw('GET', '/sync/learners/pull', { host: `attacker.example:${port}` })).status).toBe(403);
    expect((await raw('GET', '/kiosk/config', { host: `evil.127.0.0.1.nip.io:${port}` })).status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const mine = await raw('GET', '/sync/learners/pull', { host });
      expect(mine.status).toBe(200);
    }
  });

  it('refuses a state-changing request from a foreign Origin, and nothing changes', async () => {
    const before = await attendanceOnPlatform();
    const journalBefore = await readFile(join(work, JOURNAL_FILE), 'utf8').catch(() => '');
    const foreign = { host: `127.0.0.1:${port}`, origin: 'http://attacker.example' };
    const record = demoAttendance(sessionId, 'GD2026000101');
    const push = await raw('POST', '/sync/attendance/push', foreign, [{ newDocumentState: record, assumedMasterState: null }]);
    expect(push.status).toBe(403);
    expect(push.body?.message).toMatch(/request from http:\/\/attacker\.example was refused/);
    expect((await raw('POST', '/kiosk/staff/unlock', foreign, { pin: TEST_STAFF_PIN })).status).toBe(403);
    expect((await raw('POST', '/kiosk/journal', foreign, { kind: 'attendance', record: { ...record, _deleted: undefined } })).status).toBe(403);
    expect((await raw('DELETE', '/kiosk/courses/kept', { ...foreign, [STAFF_TOKEN_HEADER]: 'x' })).status).toBe(403);
    expect((await raw('POST', '/kiosk/courses/kept/open', { host: `127.0.0.1:${port}`, origin: 'null' })).status).toBe(403);
    expect(await attendanceOnPlatform()).toBe(before);
    expect(await readFile(join(work, JOURNAL_FILE), 'utf8').catch(() => '')).toBe(journalBefore);
    expect(hashChecks).toEqual([]);
  });
});

describe('staff routes want the staff token', () => {
  it('refuses course download, pin and removal without a token, and the course stays', async () => {
    const manifest = testPackage('other', lesson);
    const download = await raw('POST', '/kiosk/courses/other/download', own(), manifest);
    expect(download.status).toBe(401);
    expect(download.body?.message).toMatch(/unlock it again with the staff PIN/);
    expect((await raw('DELETE', '/kiosk/courses/kept', own())).status).toBe(401);
    expect((await raw('DELETE', '/kiosk/courses/kept', { ...own(), [STAFF_TOKEN_HEADER]: 'guessed-token-guessed-token-guessed' })).status).toBe(401);
    expect((await raw('PUT', '/kiosk/courses/kept/pin', own(), { pinned: true })).status).toBe(401);
    expect((await raw('GET', '/kiosk/courses', own())).status).toBe(401);
    expect(cache.course('kept')).toMatchObject({ complete: true, pinned: false });
    expect(cache.course('other')).toBeUndefined();
    await stat(join(work, 'courses', 'kept', 'kept.bin'));
  });

  it('takes a token from the right PIN, renews it with use, and refuses it once it expired', async () => {
    const unlocked = await unlock(TEST_STAFF_PIN);
    expect(unlocked.status).toBe(200);
    const token = unlocked.body?.token as string;
    expect(token.length).toBeGreaterThanOrEqual(32);
    const staff = { ...own(), [STAFF_TOKEN_HEADER]: token };
    clock += 9 * 60_000;
    expect((await raw('PUT', '/kiosk/courses/kept/pin', staff, { pinned: true })).status).toBe(200);
    clock += 9 * 60_000; // 18 minutes after the unlock, 9 after the last use
    expect((await raw('GET', '/kiosk/courses', staff)).status).toBe(200);
    clock += 10 * 60_000 + 1;
    const expired = await raw('DELETE', '/kiosk/courses/kept', staff);
    expect(expired.status).toBe(401);
    expect(cache.course('kept')).toMatchObject({ complete: true, pinned: true });
    // Leaving staff mode revokes a token at once.
    const again = (await unlock(TEST_STAFF_PIN)).body?.token as string;
    expect((await raw('POST', '/kiosk/staff/lock', { ...own(), [STAFF_TOKEN_HEADER]: again })).status).toBe(204);
    expect((await raw('GET', '/kiosk/courses', { ...own(), [STAFF_TOKEN_HEADER]: again })).status).toBe(401);
  });
});

describe('the staff PIN lockout', () => {
  it('checks at most the allowed guesses of 200 sent at once, and the right PIN does not unlock during the lockout', async () => {
    hashChecks.length = 0;
    const guesses = Array.from({ length: 199 }, (_, i) => String(i).padStart(4, '0')).filter((pin) => pin !== TEST_STAFF_PIN);
    const answers = await Promise.all([...guesses, TEST_STAFF_PIN].map((pin) => unlock(pin).then((answer) => ({ pin, answer }))));
    expect(hashChecks.length).toBeLessThanOrEqual(DEFAULT_LOCKOUT_POLICY.freeGuesses);
    // Only a guess that was checked can have unlocked: the right PIN gets no check past the allowance.
    for (const { pin, answer } of answers) {
      if (answer.status === 200) expect(hashChecks).toContain(pin);
    }
    const unlockedBy = answers.filter((a) => a.answer.status === 200).map((a) => a.pin);
    expect(unlockedBy.every((pin) => pin === TEST_STAFF_PIN)).toBe(true);

    // Whatever the first burst's order: a burst of wrong guesses alone, then the right PIN.
    hashChecks.length = 0;
    await Promise.all(guesses.map((pin) => unlock(pin)));
    expect(hashChecks.length).toBeLessThanOrEqual(DEFAULT_LOCKOUT_POLICY.freeGuesses);
    const during = await unlock(TEST_STAFF_PIN);
    expect(during.status).toBe(403);
    expect(during.body).toMatchObject({ unlocked: false, attemptsLeft: 0 });
    expect(during.body?.lockedForMs).toBeGreaterThan(0);
    expect(during.body?.lockedForMs).toBeLessThanOrEqual(DEFAULT_LOCKOUT_POLICY.maxLockoutMs);
    expect(hashChecks).not.toContain(TEST_STAFF_PIN);
    // Nobody can keep staff out for long: once the (bounded) lockout is over, the right PIN works.
    clock += DEFAULT_LOCKOUT_POLICY.maxLockoutMs;
    expect((await unlock(TEST_STAFF_PIN)).status).toBe(200);
  });
});
