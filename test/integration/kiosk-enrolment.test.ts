import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKioskHost } from '../../electron/host/kiosk-host';
import type { EnrolmentProgress } from '../../sync/protocol/kiosk-host-api';
import { httpCall } from '../support/http';
import { startUnenrolledTestKioskHost } from '../support/kiosk';
import { JOURNAL_FILE } from '../../electron/host/record-journal';
import { BUNDLE_KEY_FILE } from '../../electron/host/bundle-key';
import { attendanceRecordId } from '../../sync/protocol/attendance-record';
import type { JournalEntry, JournalListing } from '../../sync/protocol/kiosk-host-api';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';

const SITE = 'ZH-XIANGZHOU';
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let work: string;
let rendererDir: string;
const hosts: RunningKioskHost[] = [];
const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);

/** A kiosk host with no enrolment, in a data folder of its own (with a journal from before, if given). */
async function unenrolledKiosk(journal?: JournalEntry[]): Promise<{ host: RunningKioskHost; folder: string }> {
  const folder = await mkdtemp(join(work, 'kiosk-'));
  if (journal) await writeFile(join(folder, JOURNAL_FILE), journal.map((entry) => `${JSON.stringify({ at: '2026-11-23T06:10:00.000Z', entry })}\n`).join(''));
  const host = await startUnenrolledTestKioskHost(platform.url, folder, rendererDir);
  hosts.push(host);
  return { host, folder };
}

async function progress(host: RunningKioskHost): Promise<EnrolmentProgress> {
  return (await fetch(`${host.url}/kiosk/enrolment`)).json() as Promise<EnrolmentProgress>;
}

async function waitForCode(host: RunningKioskHost, not?: string): Promise<EnrolmentProgress> {
  // Between an expired code and its successor the progress has no code at all: wait for a real new one.
  let latest: EnrolmentProgress | undefined;
  await expect
    .poll(async () => {
      latest = await progress(host);
      return /^[A-Z]{4}-[A-Z]{4}$/.test(latest.userCode ?? '') && latest.userCode !== not;
    }, { timeout: 15_000 })
    .toBe(true);
  return latest as EnrolmentProgress;
}

/** What the renderer sends when staff scan or type an enrolment code. */
const enrolWithCode = (host: RunningKioskHost, code: string) => httpCall(host.url, 'POST', '/kiosk/enrolment/code', { code }, null);

/**
 * The enrolment file is the kiosk's alone, complete, and written without leftovers; and the
 * enrolment registered the kiosk's bundle key, so it can carry records by USB before any sync.
 */
async function expectEnrolmentFile(folder: string, kioskId: string) {
  const path = join(folder, 'enrolment.json');
  expect((await stat(path)).mode & 0o777).toBe(0o600);
  const saved = JSON.parse(await readFile(path, 'utf8')) as { kioskId: string; siteId: string; credential: string };
  expect(saved).toMatchObject({ kioskId, siteId: SITE, credential: expect.stringMatching(new RegExp(`^${kioskId}\\.`)) });
  expect((await readdir(folder)).sort()).toEqual([BUNDLE_KEY_FILE, 'enrolment.json']);
  const { publicKey } = JSON.parse(await readFile(join(folder, BUNDLE_KEY_FILE), 'utf8')) as { publicKey: string };
  const { rows } = await platform.database.pool.query<{ bundle_public_key: string | null }>('select bundle_public_key from kiosks where id = $1', [kioskId]);
  expect(rows).toEqual([{ bundle_public_key: publicKey }]);
}

async function expectSyncing(host: RunningKioskHost, kioskId: string) {
  expect((await fetch(`${host.url}/sync/class_sessions/pull`)).status).toBe(200);
  expect(await (await fetch(`${host.url}/kiosk/config`)).json()).toMatchObject({ enrolled: true, kioskId, siteId: SITE });
  expect(await progress(host)).toMatchObject({ status: 'enrolled', siteId: SITE });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'yx-kiosk-enrol-'));
  rendererDir = join(work, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>kiosk</title></head><body></body></html>');
  platform = await startTestPlatform();
  expect((await admin('POST', '/admin/sites', { id: SITE, name: '香洲区学习点' })).status).toBe(201);
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

afterAll(async () => {
  await platform?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a kiosk enrolling itself', () => {
  it('shows a code, is approved by an admin, writes its enrolment and syncs with it, without a restart', async () => {
    const { host, folder } = await unenrolledKiosk();
    const waiting = await waitForCode(host);
    expect(waiting.status).toBe('waiting');
    expect(waiting.approveUrl).toBe(`${platform.url}/enrol/approve?code=${waiting.userCode}`);
    expect((await fetch(`${host.url}/sync/class_sessions/pull`)).status).toBe(409);
    const listed = await admin('GET', '/admin/enrolment-requests');
    expect(listed.body).toContainEqual(expect.objectContaining({ userCode: waiting.userCode, kioskName: '测试终端' }));

    expect((await admin('POST', '/admin/enrolment-requests/approve', { userCode: waiting.userCode, siteId: SITE })).status).toBe(200);
    await expect.poll(async () => (await progress(host)).status, { timeout: 15_000 }).toBe('enrolled');
    const { kioskId } = (await (await fetch(`${host.url}/kiosk/config`)).json()) as { kioskId: string };
    await expectEnrolmentFile(folder, kioskId);
    await expectSyncing(host, kioskId);
    expect(await (await fetch(`${host.url}/health`)).json()).toMatchObject({ enrolled: true, kioskId });
    expect((await enrolWithCode(host, 'YXENROL:ANYTHING')).status).toBe(409);
  });

  it('enrols with the platform enrolment code staff scan, passing on the platform refusals', async () => {
    const { host, folder } = await unenrolledKiosk();
    await waitForCode(host);
    const unknown = await enrolWithCode(host, 'YXENROL:NOSUCHCODE');
    expect(unknown.status).toBe(404);
    expect((unknown.body as { message: string }).message).toMatch(/not known/);

    const { code } = (await admin('POST', '/admin/enrolment-codes', { siteId: SITE })).body as { code: string };
    const enrolled = await enrolWithCode(host, `YXENROL:${code}`);
    expect(enrolled.status).toBe(201);
    const { kioskId } = enrolled.body as { kioskId: string; siteId: string };
    expect(enrolled.body).toEqual({ kioskId, siteId: SITE });
    await expectEnrolmentFile(folder, kioskId);
    await expectSyncing(host, kioskId);

    const other = await unenrolledKiosk();
    const used = await enrolWithCode(other.host, code);
    expect(used.status).toBe(409);
    expect((used.body as { message: string }).message).toMatch(/already been used/);
    expect((await progress(other.host)).status).not.toBe('enrolled');
  });

  it('warns of records an earlier enrolment left waiting, and carries them over to the new one', async () => {
    const session = '1d7c1f64-3f36-4bd4-9a3e-2a4b7f5f0c11';
    const record = { id: attendanceRecordId(session, 'GD1'), classSessionId: session, learnerId: 'GD1', siteId: SITE, kioskId: 'KIOSK-BEFORE', method: 'scanner' as const, onRoster: true, deviceTime: '2026-11-23T06:10:00.000Z' };
    const { host } = await unenrolledKiosk([{ kind: 'attendance', record }]);
    expect((await waitForCode(host)).waitingRecords).toBe(1);
    const { code } = (await admin('POST', '/admin/enrolment-codes', { siteId: SITE })).body as { code: string };
    const { kioskId } = (await enrolWithCode(host, code)).body as { kioskId: string };
    expect(kioskId).not.toBe('KIOSK-BEFORE');
    // Same record id (session and learner), now naming the kiosk in force, so the platform takes it.
    expect(((await (await fetch(`${host.url}/kiosk/journal`)).json()) as JournalListing).entries).toEqual([{ kind: 'attendance', record: { ...record, kioskId } }]);
  });

  it('shows a new code when the old one expires, and stops when refused until staff ask again', async () => {
    const { host } = await unenrolledKiosk();
    const first = await waitForCode(host);
    await platform.database.pool.query(`update enrolment_requests set expires_at = now() - interval '1 second' where user_code = $1`, [first.userCode]);
    const renewed = await waitForCode(host, first.userCode!);
    expect(renewed.status).toBe('expired');

    expect((await admin('POST', '/admin/enrolment-requests/refuse', { userCode: renewed.userCode })).status).toBe(200);
    await expect.poll(async () => (await progress(host)).status, { timeout: 15_000 }).toBe('refused');
    expect((await progress(host)).userCode).toBeNull();

    expect((await httpCall(host.url, 'POST', '/kiosk/enrolment/new-code', undefined, null)).status).toBe(202);
    const again = await waitForCode(host);
    expect(again.status).toBe('waiting');
    expect(again.userCode).not.toBe(renewed.userCode);
  });
});
