import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall } from '../support/http';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';
import { ENROLMENT_RATE_LIMITS } from '../../sync/platform/routes/enrolment-rate-limits';
import { buildPlatformServer } from '../../sync/platform/server';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);

interface CreatedRequest {
  requestId: string;
  userCode: string;
  pollSecret: string;
  expiresAt: string;
}

async function newRequest(kioskName = '番禺 大堂'): Promise<CreatedRequest> {
  const created = await httpCall(platform.url, 'POST', '/enrol/requests', { kioskName }, null);
  expect(created.status).toBe(201);
  return created.body as CreatedRequest;
}

const poll = (request: CreatedRequest, pollSecret = request.pollSecret) =>
  httpCall(platform.url, 'POST', `/enrol/requests/${request.requestId}/poll`, { pollSecret }, null);

/** Posts the approval page's form as a phone's browser does. */
async function postForm(fields: Record<string, string>) {
  const response = await fetch(`${platform.url}/enrol/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await admin('POST', '/admin/sites', { id: 'GZ-PANYU', name: '番禺区市桥学习点' })).status).toBe(201);
});

afterAll(async () => {
  await platform?.close();
});

describe('kiosk enrolment requests', () => {
  it('waits for approval, then hands out the credential exactly once', async () => {
    const request = await newRequest();
    expect(request.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(new Date(request.expiresAt).getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
    const { rows } = await platform.database.pool.query('select * from enrolment_requests');
    expect(JSON.stringify(rows)).not.toContain(request.pollSecret);

    expect((await poll(request)).body).toEqual({ status: 'pending' });
    const pending = await admin('GET', '/admin/enrolment-requests');
    expect(pending.body).toContainEqual(expect.objectContaining({ userCode: request.userCode, kioskName: '番禺 大堂' }));

    // The admin may type the code in lower case and without the dash.
    const approved = await admin('POST', '/admin/enrolment-requests/approve', { userCode: request.userCode.replace('-', '').toLowerCase(), siteId: 'GZ-PANYU' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', siteId: 'GZ-PANYU', userCode: request.userCode });
    expect((await admin('GET', '/admin/enrolment-requests')).body).not.toContainEqual(expect.objectContaining({ userCode: request.userCode }));

    const enrolled = await poll(request);
    expect(enrolled.status).toBe(200);
    const kiosk = enrolled.body as { status: string; kioskId: string; siteId: string; credential: string };
    expect(kiosk).toMatchObject({ status: 'enrolled', siteId: 'GZ-PANYU' });
    expect((await httpCall(platform.url, 'GET', '/sync/class_sessions/pull', undefined, kiosk.credential)).status).toBe(200);
    const { rows: stored } = await platform.database.pool.query('select name, token_hash from kiosks where id = $1', [kiosk.kioskId]);
    expect(stored).toEqual([{ name: '番禺 大堂', token_hash: expect.any(String) }]);
    expect(JSON.stringify(stored)).not.toContain(kiosk.credential.split('.').pop());

    const again = await poll(request);
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain('credential');
    expect((await admin('POST', '/admin/enrolment-requests/approve', { userCode: request.userCode, siteId: 'GZ-PANYU' })).status).toBe(409);
  });

  it('mints one credential when two polls race after approval', async () => {
    const request = await newRequest('race');
    await admin('POST', '/admin/enrolment-requests/approve', { userCode: request.userCode, siteId: 'GZ-PANYU' });
    const answers = await Promise.all([poll(request), poll(request), poll(request)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const { rows } = await platform.database.pool.query(`select count(*)::int as n from kiosks where name = 'race'`);
    expect(rows[0].n).toBe(1);
  });

  it('answers a refused request with refused, and refuses wrong secrets, unknown and expired requests', async () => {
    const refused = await newRequest();
    expect((await admin('POST', '/admin/enrolment-requests/refuse', { userCode: refused.userCode })).body).toMatchObject({ status: 'refused' });
    expect((await poll(refused)).body).toEqual({ status: 'refused' });

    const request = await newRequest();
    expect((await poll(request, 'not-the-secret')).status).toBe(403);
    const unknown = await poll({ ...request, requestId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { message: string }).message).toMatch(/not known/);

    await platform.database.pool.query(`update enrolment_requests set expires_at = now() - interval '1 minute' where id = $1`, [request.requestId]);
    const expired = await poll(request);
    expect(expired.status).toBe(410);
    expect((expired.body as { message: string }).message).toMatch(/expired/);
    const late = await admin('POST', '/admin/enrolment-requests/approve', { userCode: request.userCode, siteId: 'GZ-PANYU' });
    expect(late.status).toBe(409);
    expect((late.body as { message: string }).message).toMatch(/expired/);
  });

  it('names the problem with an approval: unknown code, unknown site, bad body, no admin token', async () => {
    const request = await newRequest();
    expect((await admin('POST', '/admin/enrolment-requests/approve', { userCode: 'BBBB-BBBB', siteId: 'GZ-PANYU' })).status).toBe(404);
    const noSite = await admin('POST', '/admin/enrolment-requests/approve', { userCode: request.userCode, siteId: 'NOWHERE' });
    expect(noSite.status).toBe(404);
    expect((noSite.body as { message: string }).message).toMatch(/NOWHERE/);
    expect((await poll(request)).body).toEqual({ status: 'pending' });
    const bad = await admin('POST', '/admin/enrolment-requests/approve', { userCode: request.userCode });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/siteId/);
    expect((await httpCall(platform.url, 'GET', '/admin/enrolment-requests', undefined, 'wrong')).status).toBe(401);
    expect((await httpCall(platform.url, 'POST', '/enrol/requests', { kioskName: '' }, null)).status).toBe(400);
  });
});

describe('the approval page behind the kiosk QR', () => {
  it('approves a kiosk from a phone: code, admin token, site', async () => {
    const request = await newRequest('<script>alert(1)</script> 大堂');
    const first = await fetch(`${platform.url}/enrol/approve?code=${request.userCode}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/text\/html/);
    expect(first.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const html = await first.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain(request.userCode);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; 大堂');

    const wrong = await postForm({ code: request.userCode, token: 'guess', action: 'continue' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('管理员令牌不正确');
    expect(wrong.html).not.toContain('<select');
    expect((await postForm({ code: request.userCode, token: 'guess', action: 'approve', siteId: 'GZ-PANYU' })).status).toBe(401);
    expect((await poll(request)).body).toEqual({ status: 'pending' });

    const sites = await postForm({ code: request.userCode, token: TEST_ADMIN_TOKEN, action: 'continue' });
    expect(sites.status).toBe(200);
    expect(sites.html).toContain('<option value="GZ-PANYU">番禺区市桥学习点 (GZ-PANYU)</option>');

    const done = await postForm({ code: request.userCode, token: TEST_ADMIN_TOKEN, action: 'approve', siteId: 'GZ-PANYU' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('data-outcome="approved"');
    expect(done.html).toContain('已批准');
    expect((await poll(request)).body).toMatchObject({ status: 'enrolled', siteId: 'GZ-PANYU' });

    const twice = await fetch(`${platform.url}/enrol/approve?code=${request.userCode}`);
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('已经批准过了');
  });

  it('refuses from the page, and explains unknown codes and a missing code', async () => {
    const request = await newRequest();
    const refused = await postForm({ code: request.userCode, token: TEST_ADMIN_TOKEN, action: 'refuse' });
    expect(refused.html).toContain('data-outcome="refused"');
    expect((await poll(request)).body).toEqual({ status: 'refused' });

    const unknown = await fetch(`${platform.url}/enrol/approve?code=${encodeURIComponent('"><img src=x>')}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('<img');
    const blank = await fetch(`${platform.url}/enrol/approve`);
    expect(blank.status).toBe(200);
    expect(await blank.text()).toContain('name="code"');
    expect((await postForm({ code: request.userCode })).status).toBe(400);
  });
});

describe('enrolment rate limits', () => {
  it('answers a burst of new requests from one address with 429 and a reason, creating nothing more', async () => {
    const before = Number((await platform.database.pool.query<{ n: string }>('select count(*) as n from enrolment_requests')).rows[0]!.n);
    const answers = [];
    for (let i = 0; i < ENROLMENT_RATE_LIMITS.enrol.max + 2; i++) {
      answers.push(await httpCall(platform.url, 'POST', '/enrol/requests', { kioskName: `burst ${i}` }, null));
    }
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited[0]!.body).toMatchObject({ statusCode: 429, message: expect.stringMatching(/Rate limit exceeded, retry in/) });
    const created = answers.filter((a) => a.status === 201).length;
    const after = Number((await platform.database.pool.query<{ n: string }>('select count(*) as n from enrolment_requests')).rows[0]!.n);
    expect(after - before).toBe(created);
  });

  it('counts kiosks behind a trusted load balancer by their own address', async () => {
    const app = await buildPlatformServer({ database: platform.database, trustProxy: '127.0.0.1' });
    try {
      const from = (address: string) =>
        app.inject({ method: 'POST', url: '/enrol/requests', payload: { kioskName: 'behind the balancer' }, headers: { 'x-forwarded-for': address } });
      const statuses = [];
      for (let i = 0; i <= ENROLMENT_RATE_LIMITS.enrol.max; i++) statuses.push((await from('10.1.1.1')).statusCode);
      expect(statuses.at(-1)).toBe(429);
      expect((await from('10.2.2.2')).statusCode).toBe(201);
    } finally {
      await app.close();
    }
  });
});
