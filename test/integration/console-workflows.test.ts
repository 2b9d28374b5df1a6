import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../sync/platform/admin/operators';
import { createEnrolmentRequest } from '../../sync/platform/enrolment-requests';
import { randomUUID } from 'node:crypto';
import { DEMO_KIOSK_ID, DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import type { ClassSession } from '../../sync/protocol/class-session';
import { demoAttendance } from '../support/attendance';
import { ConsoleClient } from '../support/console-client';
import { httpCall } from '../support/http';
import { startTestPlatform } from '../support/platform';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let manager: ConsoleClient;
let credential: string;
const PASSWORD = 'correct horse battery';
const site = DEMO_SITE_ID;

beforeAll(async () => {
  platform = await startTestPlatform();
  credential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  // The kiosk has served since early November: records it pushes from November 20 are plausible.
  await platform.database.pool.query(`update kiosks set enrolled_at = '2026-11-01T00:00:00Z'`);
  await createOperator(platform.database.pool, { login: 'dongshan', displayName: '东山站长', role: 'site-manager', password: PASSWORD, siteIds: [site] });
  manager = new ConsoleClient(platform.url);
  await manager.signIn('dongshan', PASSWORD);
});

afterAll(async () => {
  await platform?.close();
});

describe('console timetable', () => {
  it('creates a weekly class, one session a week at the same local time', async () => {
    const created = await manager.call('POST', '/console/api/class-sessions', {
      siteId: site, title: '太极入门', room: '一号教室', startsAt: '2027-01-05T01:00:00.000Z', endsAt: '2027-01-05T02:30:00.000Z', weeks: 4,
    });
    expect(created.status).toBe(201);
    expect((created.body as { ids: string[] }).ids).toHaveLength(4);
    const listed = (await manager.call('GET', `/console/api/sites/${site}/class-sessions?from=2027-01-01&to=2027-02-28`)).body as { startsAt: string; seriesId: string }[];
    expect(listed.map((s) => s.startsAt)).toEqual(['2027-01-05T01:00:00.000Z', '2027-01-12T01:00:00.000Z', '2027-01-19T01:00:00.000Z', '2027-01-26T01:00:00.000Z']);
    expect(new Set(listed.map((s) => s.seriesId)).size).toBe(1);
  });

  it('refuses a class that overlaps another in the same room, creating none of its weeks', async () => {
    const before = await platform.database.pool.query('select count(*)::int as n from class_sessions');
    const clash = await manager.call('POST', '/console/api/class-sessions', {
      siteId: site, title: '书法', room: '一号教室', startsAt: '2026-12-29T02:00:00.000Z', endsAt: '2026-12-29T03:00:00.000Z', weeks: 3,
    });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'session-overlap', message: expect.stringContaining('太极入门') });
    expect((await platform.database.pool.query('select count(*)::int as n from class_sessions')).rows[0].n).toBe(before.rows[0].n);
    const otherRoom = await manager.call('POST', '/console/api/class-sessions', {
      siteId: site, title: '书法', room: '二号教室', startsAt: '2027-01-05T02:00:00.000Z', endsAt: '2027-01-05T03:00:00.000Z',
    });
    expect(otherRoom.status).toBe(201);
    const backToBack = await manager.call('POST', '/console/api/class-sessions', {
      siteId: site, title: '粤曲', room: '一号教室', startsAt: '2027-01-05T02:30:00.000Z', endsAt: '2027-01-05T03:30:00.000Z',
    });
    expect(backToBack.status).toBe(201);
  });

  it('refuses a class that ends before it starts', async () => {
    const answer = await manager.call('POST', '/console/api/class-sessions', { siteId: site, title: 'x', startsAt: '2027-01-05T03:00:00.000Z', endsAt: '2027-01-05T02:00:00.000Z' });
    expect(answer).toMatchObject({ status: 400, body: { code: 'bad-request' } });
  });
});

describe('console enrolment requests', () => {
  it('approves a waiting kiosk to one of the operator\'s sites', async () => {
    const request = await createEnrolmentRequest(platform.database.pool, { kioskName: 'Hall kiosk' });
    const pending = (await manager.call('GET', '/console/api/enrolment-requests')).body as { userCode: string }[];
    expect(pending.map((p) => p.userCode)).toContain(request.userCode);
    const approved = await manager.call('POST', '/console/api/enrolment-requests/approve', { userCode: request.userCode.toLowerCase(), siteId: site });
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', siteId: site } });
  });

  it('links the kiosk QR\'s approval page to the console, with the code', async () => {
    const request = await createEnrolmentRequest(platform.database.pool, { kioskName: 'QR kiosk' });
    const page = await fetch(`${platform.url}/enrol/approve?code=${request.userCode}`);
    expect(await page.text()).toContain(`href="../console/#/enrolment?code=${request.userCode}"`);
  });

  it('refuses to approve an expired request, with a clear code, and leaves it unapproved', async () => {
    const request = await createEnrolmentRequest(platform.database.pool, { kioskName: 'Late kiosk' }, new Date(Date.now() - 2 * 60 * 60_000));
    const answer = await manager.call('POST', '/console/api/enrolment-requests/approve', { userCode: request.userCode, siteId: site });
    expect(answer).toMatchObject({ status: 410, body: { code: 'enrolment-expired' } });
    const { rows } = await platform.database.pool.query('select approved_at from enrolment_requests where user_code = $1', [request.userCode]);
    expect(rows[0].approved_at).toBeNull();
  });
});

describe('console learners', () => {
  it('finds learners by name, by number and by pinyin initials', async () => {
    const search = async (q: string) =>
      ((await manager.call('GET', `/console/api/sites/${site}/learners?q=${encodeURIComponent(q)}`)).body as { id: string }[]).map((l) => l.id);
    expect(await search('陈秀英')).toEqual(['GD2026000101']);
    expect(await search('000102')).toEqual(['GD2026000102']);
    expect(await search('cxy')).toEqual(['GD2026000101']);
    expect(await search('zzzz')).toEqual([]);
  });

  it('issues a new card and revokes the old one', async () => {
    const [before] = (await manager.call('GET', `/console/api/sites/${site}/learners?q=GD2026000103`)).body as { card: { serial: number } }[];
    const issued = await manager.call('POST', '/console/api/learners/GD2026000103/cards');
    expect(issued.status).toBe(201);
    expect((await manager.call('POST', `/console/api/cards/${before!.card.serial}/revoke`)).status).toBe(200);
    const [after] = (await manager.call('GET', `/console/api/sites/${site}/learners?q=GD2026000103`)).body as { card: { serial: number } }[];
    expect(after!.card.serial).toBe((issued.body as { serial: number }).serial);
  });

  it('prints a card sheet only once every learner has a card', async () => {
    await manager.call('POST', '/console/api/learners/import', { csv: `id,display_name,home_site_id\nGD2026000999,新学员,${site}\n` });
    expect((await manager.call('GET', `/console/api/sites/${site}/cards.html`)).body).toMatchObject({ code: 'cards-not-issued' });
    expect((await manager.call('POST', `/console/api/sites/${site}/cards`)).status).toBe(200);
    const sheet = await manager.call('GET', `/console/api/sites/${site}/cards.html`);
    expect(sheet.headers.get('content-type')).toMatch(/text\/html/);
    expect(sheet.body as string).toContain('新学员');
  });
});

describe('console ledger and reports', () => {
  it('confirms a site\'s provisional entries in a range of days, and only those', async () => {
    const created = (await manager.call('POST', '/console/api/class-sessions', {
      siteId: site, title: '粤剧欣赏', startsAt: '2026-11-20T06:00:00.000Z', endsAt: '2026-11-20T09:00:00.000Z',
    })).body as { ids: string[] };
    const later = (await manager.call('POST', '/console/api/class-sessions', {
      siteId: site, title: '粤剧欣赏 2', startsAt: '2026-11-25T06:00:00.000Z', endsAt: '2026-11-25T08:00:00.000Z',
    })).body as { ids: string[] };
    const push = (sessionId: string, learners: string[], deviceTime: string) =>
      httpCall(platform.url, 'POST', '/sync/attendance/push', learners.map((l) => ({ newDocumentState: demoAttendance(sessionId, l, { deviceTime, method: 'manual' }) })), credential);
    // Every row is answered with what the platform stored: credited, none held for review.
    const reviews = async (answer: Promise<{ body: unknown }>) => ((await answer).body as { review?: unknown }[]).map((a) => a.review ?? 'credited');
    expect(await reviews(push(created.ids[0]!, ['GD2026000101', 'GD2026000102'], '2026-11-20T06:05:00.000Z'))).toEqual(['credited', 'credited']);
    expect(await reviews(push(later.ids[0]!, ['GD2026000101'], '2026-11-25T06:05:00.000Z'))).toEqual(['credited']);
    const summary = (await manager.call('GET', `/console/api/ledger?siteId=${site}&from=2026-11-20&to=2026-11-21`)).body;
    expect(summary).toEqual([{ sourceType: 'attendance', provisional: 2, confirmed: 0, hours: 6 }]);
    expect((await manager.call('POST', '/console/api/ledger/confirm', { siteId: site, from: '2026-11-20', to: '2026-11-21' })).body).toEqual({ confirmed: 2 });
    const { rows } = await platform.database.pool.query(`select earned_on::text as day, status from credit_ledger order by earned_on`);
    expect(rows).toEqual([
      { day: '2026-11-20', status: 'confirmed' },
      { day: '2026-11-20', status: 'confirmed' },
      { day: '2026-11-25', status: 'provisional' },
    ]);
    expect((await manager.call('POST', '/console/api/ledger/confirm', { siteId: site, from: '2026-11-22', to: '2026-11-21' })).body).toMatchObject({ code: 'bad-request' });
  });

  it('summarises attendance per week, hours per course and active learners for the charts', async () => {
    const summary = (await manager.call('GET', `/console/api/reports/summary?siteId=${site}&from=2026-11-16&to=2026-11-30`)).body;
    expect(summary).toEqual({
      attendancePerWeek: [
        { week: '2026-11-16', siteId: site, attendances: 2 },
        { week: '2026-11-23', siteId: site, attendances: 1 },
      ],
      hoursPerCourse: [{ courseId: '', hours: 8 }],
      activeLearnersPerWeek: [
        { week: '2026-11-16', learners: 2 },
        { week: '2026-11-23', learners: 1 },
      ],
    });
  });

  it('downloads the attendance CSV and the xAPI export of the operator\'s site', async () => {
    const csv = await manager.call('GET', '/console/api/reports/attendance.csv?from=2026-11-20&to=2026-11-20');
    expect(csv.headers.get('content-disposition')).toContain(`attendance-${site}.csv`);
    expect((csv.body as string).split('\n').filter(Boolean)).toHaveLength(3);
    const xapi = await manager.call('GET', '/console/api/xapi?from=2026-11-20&to=2026-11-20');
    expect((xapi.body as { statements: unknown[] }).statements).toHaveLength(2);
  });

  it('lists a class a kiosk made offline, and approving it credits the check-in it held', async () => {
    const startsAt = Date.now() - 30 * 60_000;
    const proposal: ClassSession = {
      id: randomUUID(), siteId: site, title: '村里的粤语课', teacher: '', status: 'open', statusVersion: 1, roster: [],
      startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 2 * 3_600_000).toISOString(),
      checkInOpensAt: new Date(startsAt - 30 * 60_000).toISOString(), proposedBy: DEMO_KIOSK_ID, approval: 'proposed', _deleted: false,
    };
    await httpCall(platform.url, 'POST', '/sync/class_sessions/push', [{ newDocumentState: proposal }], credential);
    const checkIn = demoAttendance(proposal.id, 'GD2026000105', { method: 'manual', deviceTime: new Date(startsAt + 10 * 60_000).toISOString() });
    await httpCall(platform.url, 'POST', '/sync/attendance/push', [{ newDocumentState: checkIn }], credential);
    const listed = (await manager.call('GET', `/console/api/sites/${site}/proposed-sessions`)).body;
    expect(listed).toEqual([expect.objectContaining({ id: proposal.id, title: '村里的粤语课', heldCheckIns: 1 })]);
    const decided = await manager.call('POST', `/console/api/proposed-sessions/${proposal.id}/decide`, { decision: 'approve' });
    expect(decided.body).toMatchObject({ released: 1 });
    expect((await manager.call('GET', `/console/api/sites/${site}/proposed-sessions`)).body).toEqual([]);
    const { rows } = await platform.database.pool.query('select hours from credit_ledger where source_id = $1', [checkIn.id]);
    expect(rows.map((r) => Number(r.hours))).toEqual([2]);
  });

  it('lists the platform\'s held records for review and credits the one approved', async () => {
    const created = (await manager.call('POST', '/console/api/class-sessions', {
      siteId: site, title: '书法入门', startsAt: '2026-11-21T06:00:00.000Z', endsAt: '2026-11-21T08:00:00.000Z',
    })).body as { ids: string[] };
    // Checked in a day before the class: held for review with the reason, and no credit.
    const early = demoAttendance(created.ids[0]!, 'GD2026000104', { deviceTime: '2026-11-20T06:00:00.000Z', method: 'manual' });
    await httpCall(platform.url, 'POST', '/sync/attendance/push', [{ newDocumentState: early }], credential);
    const held = (await manager.call('GET', `/console/api/review-queue?siteId=${site}`)).body as { id: string; type: string; reasons: string[] }[];
    expect(held).toEqual([expect.objectContaining({ id: early.id, type: 'attendance', reasons: ['outside-window'] })]);
    const decided = await manager.call('POST', `/console/api/review-queue/decide?siteId=${site}`, { decision: 'approve', records: [{ type: 'attendance', id: early.id }] });
    expect(decided.body).toEqual({ decided: 1 });
    expect((await manager.call('GET', `/console/api/review-queue?siteId=${site}`)).body).toEqual([]);
    const { rows } = await platform.database.pool.query('select hours from credit_ledger where source_id = $1', [early.id]);
    expect(rows.map((r) => Number(r.hours))).toEqual([2]);
  });
});
