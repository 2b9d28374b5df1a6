import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolmentCode } from '../../sync/platform/enrolment';
import { httpCall } from '../support/http';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await admin('POST', '/admin/sites', { id: 'SZ-NANSHAN', name: '南山学习点' })).status).toBe(201);
});

afterAll(async () => {
  await platform?.close();
});

describe('kiosk enrolment', () => {
  it('enrols a kiosk once with a code, stores only its hash, and refuses reuse with 409', async () => {
    const created = await admin('POST', '/admin/enrolment-codes', { siteId: 'SZ-NANSHAN' });
    expect(created.status).toBe(201);
    const { code, qrSvg } = created.body as { code: string; qrSvg: string };
    expect(qrSvg).toContain('<svg');
    const { rows } = await platform.database.pool.query('select code_hash from enrolment_codes');
    expect(JSON.stringify(rows)).not.toContain(code);

    const enrolled = await httpCall(platform.url, 'POST', '/enrol', { code, kioskName: '南山 大堂' }, null);
    expect(enrolled.status).toBe(201);
    const kiosk = enrolled.body as { kioskId: string; siteId: string; credential: string };
    expect(kiosk.siteId).toBe('SZ-NANSHAN');
    expect((await httpCall(platform.url, 'GET', '/sync/class_sessions/pull', undefined, kiosk.credential)).status).toBe(200);

    const again = await httpCall(platform.url, 'POST', '/enrol', { code, kioskName: 'another' }, null);
    expect(again.status).toBe(409);
    expect((again.body as { message: string }).message).toMatch(/already been used/);
  });

  it('accepts the code as scanned from its QR text', async () => {
    const { code } = (await admin('POST', '/admin/enrolment-codes', { siteId: 'SZ-NANSHAN' })).body as { code: string };
    expect((await httpCall(platform.url, 'POST', '/enrol', { code: `YXENROL:${code.toLowerCase()}`, kioskName: 'scan' }, null)).status).toBe(201);
  });

  it('answers 410 for an expired code and 404 for an unknown one', async () => {
    const old = await createEnrolmentCode(platform.database.pool, 'SZ-NANSHAN', 1, new Date(Date.now() - 2 * 3_600_000));
    const expired = await httpCall(platform.url, 'POST', '/enrol', { code: old.code, kioskName: 'late' }, null);
    expect(expired.status).toBe(410);
    expect((expired.body as { message: string }).message).toMatch(/expired/);
    expect((await httpCall(platform.url, 'POST', '/enrol', { code: 'NOSUCHCODE', kioskName: 'x' }, null)).status).toBe(404);
  });

  it('revokes a kiosk so its sync requests get 403', async () => {
    const { code } = (await admin('POST', '/admin/enrolment-codes', { siteId: 'SZ-NANSHAN' })).body as { code: string };
    const kiosk = (await httpCall(platform.url, 'POST', '/enrol', { code, kioskName: 'lost' }, null)).body as { kioskId: string; credential: string };
    expect((await admin('POST', `/admin/kiosks/${kiosk.kioskId}/revoke`)).status).toBe(200);
    expect((await httpCall(platform.url, 'GET', '/sync/attendance/pull', undefined, kiosk.credential)).status).toBe(403);
    expect((await admin('POST', '/admin/kiosks/NO-SUCH/revoke')).status).toBe(404);
  });

  it('refuses admin calls without the admin token and names the bad field', async () => {
    expect((await httpCall(platform.url, 'POST', '/admin/sites', { id: 'X', name: 'x' }, 'wrong')).status).toBe(401);
    expect((await httpCall(platform.url, 'POST', '/admin/sites', { id: 'X', name: 'x' }, null)).status).toBe(401);
    const bad = await admin('POST', '/admin/enrolment-codes', { siteId: 'has space' });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/siteId/);
    expect((await admin('POST', '/admin/enrolment-codes', { siteId: 'NOWHERE' })).status).toBe(404);
  });
});
