import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { attendanceRecordId } from '../../sync/protocol/attendance-record';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { httpCall } from '../support/http';
import { demoAttendance } from '../support/attendance';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';
import { backdateKioskEnrolment, testCourse } from '../support/trusted-sync';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let kioskCredential: string;
const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);
const kiosk = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, kioskCredential);


beforeAll(async () => {
  platform = await startTestPlatform();
  kioskCredential = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  await backdateKioskEnrolment(platform.database.pool);
});

afterAll(async () => {
  await platform?.close();
});

describe('admin API', () => {
  it('imports a course package, refuses an older version, and refuses an invalid one naming the field', async () => {
    const manifest = testCourse('tai-chi', 3, 1, 600, 2);
    expect((await admin('POST', '/admin/courses', manifest)).status).toBe(201);
    expect((await admin('POST', '/admin/courses', { ...manifest, version: 1 })).status).toBe(409);
    const bad = await admin('POST', '/admin/courses', { ...manifest, version: 3, title: { en: 'x' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/title/);
    const { rows } = await platform.database.pool.query(`select manifest from courses where id = 'tai-chi'`);
    expect(rows[0].manifest).toEqual(manifest);
  });

  it('imports learners from CSV, reporting bad rows by line and importing the rest', async () => {
    const csv = 'id,display_name,home_site_id\nGD9000001,赵一,GZ-DONGSHAN\nbad id,钱二,GZ-DONGSHAN\nGD9000003,孙三,NOWHERE\n"GD9000004","李四, 长者",GZ-DONGSHAN\n';
    const result = await admin('POST', '/admin/learners/import', { csv });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ imported: 2, errors: [{ line: 3 }, { line: 4 }] });
    const { rows } = await platform.database.pool.query(`select display_name from learners where id = 'GD9000004'`);
    expect(rows[0].display_name).toBe('李四, 长者');
  });

  it('issues cards for learners without one and prints an A4 sheet of QR cards', async () => {
    const cards = (await admin('POST', `/admin/sites/${DEMO_SITE_ID}/cards`)).body as { learnerId: string; serial: number; text: string }[];
    expect(cards).toHaveLength(22);
    expect(cards.every((c) => c.text.startsWith('YX:'))).toBe(true);
    const again = (await admin('POST', `/admin/sites/${DEMO_SITE_ID}/cards`)).body as { serial: number }[];
    expect(again.map((c) => c.serial)).toEqual(cards.map((c) => c.serial));
    const sheet = await admin('GET', `/admin/sites/${DEMO_SITE_ID}/cards.html`);
    expect(sheet.contentType).toMatch(/text\/html/);
    expect((sheet.body as string).match(/<svg/g)).toHaveLength(22);
    expect(sheet.body as string).toContain('size: A4');
  });

  it('revokes a card so kiosks pull the revocation', async () => {
    const cards = (await admin('POST', `/admin/sites/${DEMO_SITE_ID}/cards`)).body as { serial: number }[];
    expect((await admin('POST', `/admin/cards/${cards[0]!.serial}/revoke`)).status).toBe(200);
    const pulled = (await kiosk('GET', '/sync/card_revocations/pull')).body as { documents: { id: string }[] };
    expect(pulled.documents.map((d) => d.id)).toContain(String(cards[0]!.serial));
    expect((await admin('POST', '/admin/cards/999999/revoke')).status).toBe(404);
  });

  it('creates and opens a class session that the site kiosks pull', async () => {
    const created = await admin('POST', '/admin/class-sessions', {
      siteId: DEMO_SITE_ID, title: '粤剧欣赏', startsAt: '2026-11-20T06:00:00Z', endsAt: '2026-11-20T09:00:00Z', roster: ['GD2026000101', 'GD2026000102'],
    });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    const before = (await kiosk('GET', '/sync/class_sessions/pull')).body as { checkpoint: { seq: number } };
    expect((await admin('POST', `/admin/class-sessions/${id}/status`, { status: 'open' })).status).toBe(200);
    const after = (await kiosk('GET', `/sync/class_sessions/pull?seq=${before.checkpoint.seq}`)).body as { documents: { id: string; status: string }[] };
    expect(after.documents).toMatchObject([{ id, status: 'open' }]);
    expect((await admin('POST', '/admin/class-sessions', { siteId: DEMO_SITE_ID, title: 'x', startsAt: '2026-11-20T09:00:00Z', endsAt: '2026-11-20T06:00:00Z' })).status).toBe(400);
  });

  it('confirms provisional entries, reports attendance and credits, and exports xAPI', async () => {
    const { rows } = await platform.database.pool.query<{ id: string }>(`select id from class_sessions where title = '粤剧欣赏'`);
    const sessionId = rows[0]!.id;
    const pushed = await kiosk('POST', '/sync/attendance/push', ['GD2026000101', 'GD2026000102'].map((l) => ({ newDocumentState: demoAttendance(sessionId, l, { method: 'manual', deviceTime: '2026-11-20T06:05:00Z' }) })));
    expect(pushed.body).toMatchObject([{ learnerId: 'GD2026000101', receivedAt: expect.any(String) }, { learnerId: 'GD2026000102', receivedAt: expect.any(String) }]);
    expect((pushed.body as { review?: unknown }[]).map((a) => a.review)).toEqual([undefined, undefined]);
    const ledgerBefore = (await kiosk('GET', '/sync/credit_ledger/pull')).body as { checkpoint: { seq: number } };
    expect((await admin('POST', '/admin/ledger/confirm', { siteId: DEMO_SITE_ID, throughDay: '2026-11-20' })).body).toEqual({ confirmed: 2 });
    const repulled = (await kiosk('GET', `/sync/credit_ledger/pull?seq=${ledgerBefore.checkpoint.seq}`)).body as { documents: { status: string }[] };
    expect(repulled.documents.map((d) => d.status)).toEqual(['confirmed', 'confirmed']);

    const attendanceCsv = parse((await admin('GET', `/admin/reports/attendance.csv?siteId=${DEMO_SITE_ID}`)).body as string, { columns: true });
    expect(attendanceCsv).toEqual([
      { site_id: DEMO_SITE_ID, day: '2026-11-20', learner_id: 'GD2026000101', display_name: '陈秀英', sessions: '1' },
      { site_id: DEMO_SITE_ID, day: '2026-11-20', learner_id: 'GD2026000102', display_name: '李婉仪', sessions: '1' },
    ]);
    const creditsCsv = parse((await admin('GET', '/admin/reports/credits.csv?from=2026-11-20&to=2026-11-20')).body as string, { columns: true });
    expect(creditsCsv[0]).toMatchObject({ learner_id: 'GD2026000101', confirmed_hours: '3', provisional_hours: '0', credits: '0.3' });

    const xapi = (await admin('GET', '/admin/xapi/statements')).body as { statements: { id: string; verb: { id: string }; actor: { account: { name: string } } }[] };
    expect(xapi.statements).toHaveLength(2);
    expect(xapi.statements[0]).toMatchObject({
      id: attendanceRecordId(sessionId, 'GD2026000101'),
      version: '1.0.3',
      verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
      actor: { account: { name: 'GD2026000101' } },
    });
  });

  it('recomputes the ledger from every source: clean, then finds and repairs tampering only when asked', async () => {
    expect((await admin('POST', '/admin/ledger/recompute', { apply: false })).body).toMatchObject({ checked: 2, differences: [], repaired: 0 });
    const pool = platform.database.pool;
    await pool.query(`update credit_ledger set hours = 1 where learner_id = 'GD2026000101'`);
    await pool.query(`delete from credit_ledger where learner_id = 'GD2026000102'`);
    const dry = (await admin('POST', '/admin/ledger/recompute', { apply: false })).body as { differences: { kind: string }[]; repaired: number };
    expect(dry.differences.map((d) => d.kind).sort()).toEqual(['hours-mismatch', 'missing']);
    expect(dry.repaired).toBe(0);
    expect((await pool.query(`select 1 from credit_ledger where learner_id = 'GD2026000102'`)).rowCount).toBe(0);
    expect((await admin('POST', '/admin/ledger/recompute', { apply: true })).body).toMatchObject({ repaired: 2 });
    expect((await admin('POST', '/admin/ledger/recompute', { apply: false })).body).toMatchObject({ differences: [] });
  });
});
