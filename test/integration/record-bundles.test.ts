import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KIOSK_ID, DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { importCourseManifest } from '../../sync/platform/admin/courses';
import { importRecordBundle } from '../../sync/platform/record-bundles';
import { fromBase64Url } from '../../sync/protocol/base64url';
import type { ClassSession } from '../../sync/protocol/class-session';
import {
  BUNDLE_KEY_HEADER,
  BundleRefused,
  encodeRecordBundle,
  generateBundleKeyPair,
  openRecordReceipt,
  verifyBundleSignature,
  type BundledRecords,
  type RecordBundleBody,
} from '../../sync/protocol/record-bundle';
import { recordSyncState } from '../../sync/protocol/sync-outcome';
import { demoAttendance } from '../support/attendance';
import { httpCall } from '../support/http';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';
import { progressRecord, recentClassSession, seedTwoSites, testCourse } from '../support/trusted-sync';

/**
 * Records by USB (docs/check-in-and-sync.md, "Records by USB"): a kiosk's signed bundle is
 * imported through the push path, once; anything altered, cut short, from an unknown or revoked
 * kiosk, or carried across sites is refused whole.
 */

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;
let otherSite: { kioskId: string; credential: string };
let kioskKey: { secretKey: string; publicKey: string };
let sessionId: string;
let during: string;
let bundleSeq = 0;
const course = testCourse('usb-course', 2);
const kiosk = { kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID };

function call(method: string, path: string, body?: unknown, auth: string | null = credential) {
  return httpCall(platform.url, method, path, body, auth);
}

async function postBundle(path: string, file: Uint8Array, auth: string) {
  const response = await fetch(`${platform.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/octet-stream' },
    body: Buffer.from(file),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, bytes, json: () => JSON.parse(new TextDecoder().decode(bytes)) as { code: string; message: string } };
}

function proposedSession(): ClassSession {
  const startsAt = new Date(Date.now() - 3 * 3_600_000);
  return {
    id: randomUUID(),
    siteId: DEMO_SITE_ID,
    title: 'Village class made offline',
    teacher: 'Chan',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
    status: 'open',
    statusVersion: 1,
    checkInOpensAt: new Date(startsAt.getTime() - 30 * 60_000).toISOString(),
    roster: [],
    proposedBy: DEMO_KIOSK_ID,
    approval: 'proposed',
    _deleted: false,
  };
}

/** What a village kiosk would carry: a class it made, check-ins into it and into a platform class, a finished lesson. */
function villageRecords(learners: string[]): BundledRecords {
  const session = proposedSession();
  return {
    class_sessions: [session],
    attendance: [
      ...learners.map((l) => demoAttendance(sessionId, l, { method: 'manual', deviceTime: during })),
      demoAttendance(session.id, learners[0]!, { method: 'manual', deviceTime: new Date(Date.parse(session.startsAt) + 60_000).toISOString() }),
    ],
    lesson_progress: [progressRecord(kiosk, learners[0]!, course)],
  };
}

async function bundle(records: BundledRecords, overrides: Partial<RecordBundleBody> = {}, secretKey = kioskKey.secretKey): Promise<Uint8Array> {
  bundleSeq += 1;
  return encodeRecordBundle({ ...kiosk, bundleSeq, createdAt: new Date().toISOString(), records, ...overrides }, fromBase64Url(secretKey));
}

/** Everything a bundle could change, as stored (progress without its write sequence: a replay re-stamps it, as a replayed push does). */
async function snapshot(): Promise<unknown> {
  const { pool } = platform.database;
  const read = async (sql: string) => (await pool.query(sql)).rows;
  return {
    attendance: await read('select * from attendance order by id'),
    sessions: await read('select * from class_sessions order by id'),
    progress: await read(
      'select id, learner_id, site_id, kiosk_id, position_seconds, completed, completed_at, received_at, review_status, review_reasons, credit_seq from lesson_progress order by id',
    ),
    ledger: await read('select * from credit_ledger order by source_type, source_id'),
    refusals: await read('select collection, record_id, reason from sync_refusals order by record_id'),
  };
}

async function expectRefused(file: Uint8Array, code: string, message: RegExp): Promise<void> {
  const before = await snapshot();
  const error = await importRecordBundle(platform.database.pool, file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BundleRefused);
  expect((error as BundleRefused).code).toBe(code);
  expect((error as BundleRefused).message).toMatch(message);
  expect(await snapshot()).toEqual(before);
}

beforeAll(async () => {
  platform = await startTestPlatform();
  ({ credential, otherSite } = await seedTwoSites(platform.database.pool));
  ({ id: sessionId, during } = await recentClassSession(platform.database.pool, DEMO_SITE_ID));
  await importCourseManifest(platform.database.pool, course);
  kioskKey = await generateBundleKeyPair();
}, 180_000);

afterAll(async () => {
  await platform?.close();
});

describe('record bundles', () => {
  it('registers the bundle key a kiosk sends with its syncs, once: a later, different key is ignored', async () => {
    const response = await fetch(`${platform.url}/sync/issuer_keys/pull`, { headers: { authorization: `Bearer ${credential}`, [BUNDLE_KEY_HEADER]: kioskKey.publicKey } });
    expect(response.status).toBe(200);
    const other = await generateBundleKeyPair();
    await fetch(`${platform.url}/sync/issuer_keys/pull`, { headers: { authorization: `Bearer ${credential}`, [BUNDLE_KEY_HEADER]: other.publicKey } });
    const { rows } = await platform.database.pool.query('select bundle_public_key from kiosks where id = $1', [DEMO_KIOSK_ID]);
    expect(rows[0].bundle_public_key).toBe(kioskKey.publicKey);
  });

  it('imports a bundle through the admin API as pushes would store it, and answers with a receipt signed by the platform', async () => {
    const records = villageRecords(['GD2026000101', 'GD2026000102']);
    const answer = await postBundle('/admin/record-bundles', await bundle(records), TEST_ADMIN_TOKEN);
    expect(answer.status).toBe(200);
    const receipt = openRecordReceipt(answer.bytes);
    const { rows: keys } = await platform.database.pool.query('select public_key from issuer_keys where id = $1', [receipt.body.issuerKeyId]);
    await verifyBundleSignature(receipt, keys[0].public_key, 'the platform');
    expect(receipt.body).toMatchObject({ kioskId: DEMO_KIOSK_ID, siteId: DEMO_SITE_ID, bundleSeq });
    // The platform's session check-in is credited; the check-in into the proposed class is held, as a push would be.
    const states = Object.fromEntries(receipt.body.records.attendance.map((a) => [a.id, recordSyncState(a)]));
    expect(states[records.attendance[0]!.id]).toBe('received');
    expect(states[records.attendance[2]!.id]).toBe('held');
    expect(receipt.body.records.attendance[2]!.review?.reasons).toContain('session-not-approved');
    expect(receipt.body.records.class_sessions[0]).toMatchObject({ id: records.class_sessions[0]!.id, approval: 'proposed', serverSeq: expect.any(Number) });
    expect(recordSyncState(receipt.body.records.lesson_progress[0]!)).toBe('received');
    const { rows } = await platform.database.pool.query('select count(*)::int as n from credit_ledger where source_id = any($1::uuid[])', [
      [records.attendance[0]!.id, records.attendance[1]!.id, records.lesson_progress[0]!.id],
    ]);
    expect(rows[0].n).toBe(3);
  });

  it('changes nothing when the same bundle is imported twice', async () => {
    const file = await bundle(villageRecords(['GD2026000103']));
    const first = await importRecordBundle(platform.database.pool, file);
    const after = await snapshot();
    const second = await importRecordBundle(platform.database.pool, file);
    expect(await snapshot()).toEqual(after);
    // The second receipt tells the kiosk the same: every record, as stored.
    expect(second.receiptRecords.attendance).toEqual(first.receiptRecords.attendance);
    expect(second.receiptRecords.class_sessions).toEqual(first.receiptRecords.class_sessions);
  });

  it('changes nothing when the kiosk also synced the same records online', async () => {
    const records = villageRecords(['GD2026000104']);
    for (const [collection, docs] of Object.entries(records)) {
      const pushed = await call('POST', `/sync/${collection}/push`, (docs as unknown[]).map((d) => ({ newDocumentState: d })));
      expect(pushed.status).toBe(200);
    }
    const after = await snapshot();
    const imported = await importRecordBundle(platform.database.pool, await bundle(records));
    expect(await snapshot()).toEqual(after);
    expect(imported.receiptRecords.attendance.every((a) => a.receivedAt !== undefined)).toBe(true);
  });

  it('refuses a bundle with one altered byte, whole', async () => {
    const records = villageRecords(['GD2026000105']);
    const file = await bundle(records);
    const text = new TextDecoder().decode(file);
    // One digit of a device time, deep in the body.
    const at = text.lastIndexOf('"deviceTime":"') + 20;
    const altered = file.slice();
    altered[at] = altered[at] === 0x31 ? 0x32 : 0x31;
    await expectRefused(altered, 'bad-signature', /altered or damaged/);
    // And one byte of the signature itself.
    const badSignature = file.slice();
    const s = text.indexOf('"signature":"') + 20;
    badSignature[s] = badSignature[s] === 0x41 ? 0x42 : 0x41;
    await expectRefused(badSignature, 'bad-signature', /altered or damaged/);
  });

  it('refuses a truncated bundle, and a file that is no bundle at all', async () => {
    const file = await bundle(villageRecords(['GD2026000106']));
    await expectRefused(file.subarray(0, file.length - 10), 'truncated', /cut short/);
    await expectRefused(file.subarray(0, 40), 'not-a-bundle', /not a record bundle/);
    await expectRefused(new TextEncoder().encode('learner,hours\n'), 'not-a-bundle', /not a record bundle/);
  });

  it('refuses bundles of unknown and revoked kiosks, and of kiosks that registered no key', async () => {
    await expectRefused(await bundle(villageRecords(['GD2026000107']), { kioskId: 'KIOSK-NOBODY' }), 'unknown-kiosk', /not enrolled/);
    // The other site's kiosk never synced, so it has no key: its bundle cannot be verified.
    const otherRecords = { class_sessions: [], attendance: [], lesson_progress: [] };
    await expectRefused(await bundle(otherRecords, { kioskId: otherSite.kioskId, siteId: 'ZH-XIANGZHOU' }), 'no-key', /not registered/);
    const { pool } = platform.database;
    await pool.query(`insert into kiosks (id, site_id, name, token_hash, status, bundle_public_key) values ('KIOSK-GONE', $1, 'gone', 'x', 'revoked', $2)`, [
      DEMO_SITE_ID,
      kioskKey.publicKey,
    ]);
    await expectRefused(await bundle(otherRecords, { kioskId: 'KIOSK-GONE' }), 'revoked-kiosk', /revoked/);
  });

  it('refuses a bundle that carries a record of another site, whole', async () => {
    const records = villageRecords(['GD2026000108']);
    records.attendance.push(demoAttendance(sessionId, 'GD2026000109', { siteId: 'ZH-XIANGZHOU', method: 'manual', deviceTime: during }));
    await expectRefused(await bundle(records), 'wrong-site', /site ZH-XIANGZHOU/);
  });

  it('lets an online kiosk of the same site relay a bundle, and refuses a kiosk of another site', async () => {
    const records = villageRecords(['GD2026000110']);
    const file = await bundle(records);
    const before = await snapshot();
    const refused = await postBundle('/sync/record-bundles', file, otherSite.credential);
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'wrong-site', message: expect.stringMatching(/cannot relay/) });
    expect(await snapshot()).toEqual(before);
    const relayed = await postBundle('/sync/record-bundles', file, credential);
    expect(relayed.status).toBe(200);
    expect(openRecordReceipt(relayed.bytes).body.records.attendance.map((a) => a.id)).toEqual(records.attendance.map((a) => a.id));
    const { rows } = await platform.database.pool.query('select imported_via from record_bundle_imports where bundle_seq = $1', [bundleSeq]);
    expect(rows).toEqual([{ imported_via: DEMO_KIOSK_ID }]);
  });

  it('answers a malformed upload with a message, not a crash', async () => {
    const answer = await postBundle('/admin/record-bundles', new TextEncoder().encode('{"format":"yuexue-record-bundle","version":1'), TEST_ADMIN_TOKEN);
    expect(answer.status).toBe(422);
    expect(answer.json().message).toMatch(/not a record bundle/);
  });
});
