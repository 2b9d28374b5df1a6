import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../sync/platform/admin/operators';
import { createSite } from '../../sync/platform/admin/sites';
import { createClassSession } from '../../sync/platform/admin/class-sessions';
import { createEnrolmentRequest } from '../../sync/platform/enrolment-requests';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { consoleRoutes } from '../../sync/platform/console/console-routes';
import { platformReviewQueue } from '../../sync/platform/console/platform-review-queue';
import { signIn } from '../../sync/platform/console/operator-sessions';
import { ConsoleClient } from '../support/console-client';
import { startTestPlatform } from '../support/platform';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const OWN_SITE = 'FS-CHANCHENG';
const OTHER_SITE = DEMO_SITE_ID;
const PASSWORD = 'correct horse battery';
let manager: ConsoleClient;
let admin: ConsoleClient;
let otherLearner: string;
let otherSerial: number;
let userCode: string;
let otherSession: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  const { pool } = platform.database;
  await seedDemo(pool, null);
  await createSite(pool, { id: OWN_SITE, name: '禅城' });
  await createOperator(pool, { login: 'admin', displayName: '省管理员', role: 'province-admin', password: PASSWORD, siteIds: [] });
  await createOperator(pool, { login: 'chancheng', displayName: '禅城站长', role: 'site-manager', password: PASSWORD, siteIds: [OWN_SITE] });
  const { rows } = await pool.query<{ learner_id: string; serial: string }>(
    `select c.learner_id, c.serial from learner_cards c join learners l on l.id = c.learner_id where l.home_site_id = $1 limit 1`,
    [OTHER_SITE],
  );
  otherLearner = rows[0]!.learner_id;
  otherSerial = Number(rows[0]!.serial);
  userCode = (await createEnrolmentRequest(pool, { kioskName: 'Kiosk in the hall' })).userCode;
  otherSession = (await createClassSession(pool, { siteId: OTHER_SITE, title: '书法', startsAt: '2026-12-01T06:00:00.000Z', endsAt: '2026-12-01T08:00:00.000Z' })).id;
  manager = new ConsoleClient(platform.url);
  admin = new ConsoleClient(platform.url);
  expect((await manager.signIn('chancheng', PASSWORD)).status).toBe(200);
  expect((await admin.signIn('ADMIN', PASSWORD)).status).toBe(200);
});

afterAll(async () => {
  await platform?.close();
});

const day = '2026-11-02';
/** Every console route that names a site, called by a site manager for a site that is not theirs. */
const acrossSites = (): [string, string, unknown?][] => [
  ['GET', `/console/api/kiosks?siteId=${OTHER_SITE}`],
  ['POST', `/console/api/kiosks/${DEMO_KIOSK_ID}/revoke`],
  ['POST', '/console/api/enrolment-requests/approve', { userCode, siteId: OTHER_SITE }],
  ['GET', `/console/api/sites/${OTHER_SITE}/learners?q=`],
  ['POST', `/console/api/learners/${otherLearner}/cards`],
  ['POST', `/console/api/cards/${otherSerial}/revoke`],
  ['POST', `/console/api/sites/${OTHER_SITE}/cards`],
  ['GET', `/console/api/sites/${OTHER_SITE}/cards.html`],
  ['GET', `/console/api/sites/${OTHER_SITE}/class-sessions`],
  ['POST', '/console/api/class-sessions', { siteId: OTHER_SITE, title: 'x', startsAt: '2026-12-01T06:00:00.000Z', endsAt: '2026-12-01T07:00:00.000Z' }],
  ['GET', `/console/api/sites/${OTHER_SITE}/proposed-sessions`],
  ['POST', `/console/api/proposed-sessions/${otherSession}/decide`, { decision: 'approve' }],
  ['GET', `/console/api/review-queue?siteId=${OTHER_SITE}`],
  ['POST', `/console/api/review-queue/decide?siteId=${OTHER_SITE}`, { decision: 'approve', records: [{ type: 'attendance', id: '0190a000-0000-7000-8000-000000000000' }] }],
  ['GET', `/console/api/ledger?siteId=${OTHER_SITE}&from=${day}&to=${day}`],
  ['POST', '/console/api/ledger/confirm', { siteId: OTHER_SITE, from: day, to: day }],
  ['GET', `/console/api/reports/summary?siteId=${OTHER_SITE}`],
  ['GET', `/console/api/reports/attendance.csv?siteId=${OTHER_SITE}`],
  ['GET', `/console/api/reports/credits.csv?siteId=${OTHER_SITE}`],
  ['GET', `/console/api/xapi?siteId=${OTHER_SITE}`],
  ['POST', '/console/api/sites', { id: 'NEW-SITE', name: '新' }],
  ['GET', '/console/api/operators'],
  ['POST', '/console/api/operators', { login: 'sneaky', displayName: 'x', role: 'province-admin', password: PASSWORD, siteIds: [] }],
];

/** The console's API routes as its plugin registers them, "METHOD path". */
async function registeredConsoleRoutes(): Promise<string[]> {
  const found: string[] = [];
  const app = Fastify();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (route.url.startsWith('/console/api/') && method !== 'HEAD') found.push(`${method} ${route.url}`);
  });
  await app.register(consoleRoutes(platform.database.pool, { reviewQueue: platformReviewQueue(platform.database.pool) }));
  await app.close();
  return found.sort();
}

describe('console accounts and roles', () => {
  it('refuses a site manager every route for another site with 403, and changes nothing', async () => {
    const refusals = [];
    for (const [method, path, body] of acrossSites()) {
      const answer = await manager.call(method, path, body);
      refusals.push(`${method} ${path} ${answer.status} ${(answer.body as { code?: string }).code}`);
    }
    expect(refusals.every((r) => / 403 (other-site|province-admin-only)$/.test(r)), refusals.join('\n')).toBe(true);
    const { pool } = platform.database;
    expect((await pool.query(`select status from kiosks where id = $1`, [DEMO_KIOSK_ID])).rows[0].status).toBe('active');
    expect((await pool.query('select 1 from card_revocations where serial = $1', [otherSerial])).rowCount).toBe(0);
    expect((await pool.query('select approved_at from enrolment_requests where user_code = $1', [userCode])).rows[0].approved_at).toBeNull();
    expect((await pool.query(`select 1 from sites where id = 'NEW-SITE'`)).rowCount).toBe(0);
  });

  it('covers every site-scoped console route in that list', async () => {
    const listed = new Set(acrossSites().map(([method, path]) => `${method} ${path.split('?')[0]}`));
    const scoped = (await registeredConsoleRoutes()).filter(
      (r) => !/(csrf|sign-in|sign-out|session|GET \/console\/api\/sites|GET \/console\/api\/enrolment-requests|learners\/import|refuse)$/.test(r),
    );
    const named = scoped.map((route) =>
      route
        .replace(':siteId', OTHER_SITE)
        .replace(':kioskId', DEMO_KIOSK_ID)
        .replace(':learnerId', otherLearner)
        .replace(':serial', String(otherSerial))
        .replace(':report', 'attendance')
        .replace(':sessionId', otherSession),
    );
    expect(named.filter((r) => !listed.has(r))).toEqual([]);
    expect(scoped.length).toBeGreaterThan(15);
  });

  it('lets the province admin reach every site, and answers 404 for a site that does not exist', async () => {
    expect((await admin.call('GET', `/console/api/kiosks?siteId=${OTHER_SITE}`)).status).toBe(200);
    expect((await admin.call('GET', `/console/api/sites/${OWN_SITE}/learners`)).status).toBe(200);
    const sites = (await admin.call('GET', '/console/api/sites')).body as { id: string }[];
    expect(sites.map((s) => s.id).sort()).toEqual([OWN_SITE, OTHER_SITE].sort());
    expect(((await admin.call('GET', '/console/api/sites/NOWHERE/learners')).body as { code: string }).code).toBe('unknown-site');
  });

  it('shows a site manager only their own sites', async () => {
    const sites = (await manager.call('GET', '/console/api/sites')).body as { id: string }[];
    expect(sites.map((s) => s.id)).toEqual([OWN_SITE]);
    const session = (await manager.call('GET', '/console/api/session')).body as { operator: { role: string; siteIds: string[] } };
    expect(session.operator).toMatchObject({ role: 'site-manager', siteIds: [OWN_SITE] });
  });

  it('refuses a site manager learner rows for another site, and moving another site\'s learner', async () => {
    const csv = `id,display_name,home_site_id\nFS1,甲,${OWN_SITE}\nFS2,乙,${OTHER_SITE}\n${otherLearner},搬走,${OWN_SITE}\n`;
    const answer = await manager.call('POST', '/console/api/learners/import', { csv });
    expect(answer.body).toMatchObject({
      imported: 1,
      errors: [
        { line: 3, message: expect.stringContaining('not one of your sites') },
        { line: 4, message: expect.stringContaining(`belongs to site ${OTHER_SITE}`) },
      ],
    });
    const { rows } = await platform.database.pool.query('select home_site_id from learners where id = $1', [otherLearner]);
    expect(rows[0].home_site_id).toBe(OTHER_SITE);
  });

  it('answers 401 to every route without a session', async () => {
    const anonymous = new ConsoleClient(platform.url);
    anonymous.csrfToken = ((await anonymous.call('GET', '/console/api/csrf')).body as { csrfToken: string }).csrfToken;
    for (const [method, path, body] of [...acrossSites(), ['GET', '/console/api/sites'] as [string, string]]) {
      const answer = await anonymous.call(method, path, body);
      expect(`${method} ${path} ${answer.status}`).toBe(`${method} ${path} 401`);
    }
  });

  it('signs out: the old cookie no longer works', async () => {
    const once = new ConsoleClient(platform.url);
    await once.signIn('chancheng', PASSWORD);
    const cookie = once.cookies.get('yx_console')!;
    expect(cookie).toBeTruthy();
    expect((await once.call('POST', '/console/api/sign-out')).status).toBe(200);
    once.cookies.set('yx_console', cookie);
    expect((await once.call('GET', '/console/api/session')).status).toBe(401);
  });

  it('serves console answers uncached, unframeable, under a script-src-self CSP', async () => {
    const answer = await admin.call('GET', '/console/api/sites');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, on /console only', async () => {
    const fresh = new ConsoleClient(platform.url);
    await fresh.call('GET', '/console/api/csrf').then((a) => (fresh.csrfToken = (a.body as { csrfToken: string }).csrfToken));
    const answer = await fresh.call('POST', '/console/api/sign-in', { login: 'admin', password: PASSWORD });
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('yx_console='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/console/);
    const { rows } = await platform.database.pool.query('select token_hash from operator_sessions');
    expect(rows.map((r) => r.token_hash)).not.toContain(cookie.split(';')[0]!.split('=')[1]);
  });
});

describe('console CSRF', () => {
  it('refuses a state-changing call with a missing or forged token, and changes nothing', async () => {
    const missing = await admin.call('POST', '/console/api/sites', { id: 'CSRF-1', name: 'x' }, { csrf: null });
    expect(missing.status).toBe(403);
    expect((missing.body as { code: string }).code).toBe('csrf');
    const forged = await admin.call('POST', '/console/api/sites', { id: 'CSRF-1', name: 'x' }, { csrf: 'forged-token' });
    expect(forged.status).toBe(403);
    // A token that is real, but for another browser's CSRF secret.
    const stolen = await admin.call('POST', '/console/api/sites', { id: 'CSRF-1', name: 'x' }, { csrf: manager.csrfToken });
    expect(stolen.status).toBe(403);
    expect((await platform.database.pool.query(`select 1 from sites where id = 'CSRF-1'`)).rowCount).toBe(0);
    expect((await admin.call('POST', '/console/api/sites', { id: 'CSRF-1', name: 'x' })).status).toBe(201);
  });

  it('protects sign-in itself', async () => {
    const fresh = new ConsoleClient(platform.url);
    const answer = await fresh.call('POST', '/console/api/sign-in', { login: 'admin', password: PASSWORD });
    expect(answer.status).toBe(403);
    expect(fresh.cookies.has('yx_console')).toBe(false);
  });
});

describe('console sign-in lockout', () => {
  it('locks a login after five wrong passwords, even for the right one, and says when to retry', async () => {
    const client = new ConsoleClient(platform.url);
    for (let i = 0; i < 4; i++) expect((await client.signIn('chancheng', 'wrong password!')).status).toBe(401);
    const fifth = await client.signIn('chancheng', 'wrong password!');
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toBe('30');
    expect((fifth.body as { code: string }).code).toBe('locked');
    const right = await client.signIn('chancheng', PASSWORD);
    expect(right.status).toBe(429);
    expect(client.cookies.has('yx_console')).toBe(false);
    await platform.database.pool.query(`delete from operator_login_attempts where login = 'chancheng'`);
  });

  it('doubles the wait with each failure after a lockout, and a success clears the count', async () => {
    const { pool } = platform.database;
    const t0 = Date.parse('2026-11-29T08:00:00Z');
    for (let i = 0; i < 4; i++) expect(await signIn(pool, 'chancheng', 'nope', new Date(t0))).toEqual({ ok: false, reason: 'wrong-password' });
    expect(await signIn(pool, 'chancheng', 'nope', new Date(t0))).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 30 });
    expect(await signIn(pool, 'chancheng', PASSWORD, new Date(t0 + 10_000))).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 20 });
    expect(await signIn(pool, 'chancheng', 'nope', new Date(t0 + 31_000))).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 60 });
    expect((await signIn(pool, 'chancheng', PASSWORD, new Date(t0 + 92_000))).ok).toBe(true);
    expect((await pool.query(`select 1 from operator_login_attempts where login = 'chancheng'`)).rowCount).toBe(0);
  });

  it('counts failures for a login that does not exist, so a lockout tells nothing', async () => {
    const client = new ConsoleClient(platform.url);
    for (let i = 0; i < 4; i++) expect((await client.signIn('nobody', 'whatever')).status).toBe(401);
    expect((await client.signIn('nobody', 'whatever')).status).toBe(429);
  });
});
