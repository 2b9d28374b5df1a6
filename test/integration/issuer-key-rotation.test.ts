import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../sync/protocol/attendance-record';
import type { IssuerKey } from '../../sync/protocol/issuer-key';
import type { SiteLearner } from '../../sync/protocol/site-learner';
import { DEMO_SITE_ID } from '../../sync/platform/demo-seed';
import { cardsForSite } from '../../sync/platform/admin/cards';
import { demoAttendance } from '../support/attendance';
import { httpCall } from '../support/http';
import { startTestPlatform, TEST_ADMIN_TOKEN } from '../support/platform';
import { cardSerialOf, recentClassSession, seedTwoSites } from '../support/trusted-sync';

/**
 * Rotating and retiring the keys that sign learner cards (`platform:admin -- issuer-key …`):
 * what kiosks pull, how the platform re-checks check-ins by each key's cards, and which cards
 * the next card sheet prints.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let credential: string;

const admin = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, TEST_ADMIN_TOKEN);
const kiosk = (method: string, path: string, body?: unknown) => httpCall(platform.url, method, path, body, credential);
const keyStatuses = async () =>
  Object.fromEntries(((await kiosk('GET', '/sync/issuer_keys/pull')).body as { documents: IssuerKey[] }).documents.map((k) => [k.id, k.status]));
const signingKeyOf = async (serial: number) =>
  (await platform.database.pool.query<{ issuer_key_id: string }>('select issuer_key_id from learner_cards where serial = $1', [serial])).rows[0]!.issuer_key_id;

async function checkInWithCard(learnerId: string, serial: number, title: string): Promise<AttendanceRecord> {
  const session = await recentClassSession(platform.database.pool, DEMO_SITE_ID, { title });
  const doc = demoAttendance(session.id, learnerId, { method: 'camera', cardSerial: serial, deviceTime: session.during });
  const pushed = await kiosk('POST', '/sync/attendance/push', [{ newDocumentState: doc }]);
  expect(pushed.status).toBe(200);
  return (pushed.body as AttendanceRecord[])[0]!;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  ({ credential } = await seedTwoSites(platform.database.pool));
});

afterAll(async () => {
  await platform?.close();
});

describe('issuer key rotation and retirement', () => {
  it('rotates to a new signing key, keeps the old one verify-only, then retires it and replaces its cards', async () => {
    const { pool } = platform.database;
    const [seeded] = (await admin('GET', '/admin/issuer-keys')).body as { id: string; status: string; cards: number }[];
    expect(seeded).toMatchObject({ id: 'gd-2026a', status: 'active' });
    expect(seeded!.cards).toBeGreaterThan(0);
    const oldSerial = await cardSerialOf(pool, 'GD2026000101');

    // The key signing new cards cannot be retired: no key would be left to sign with.
    expect((await admin('POST', '/admin/issuer-keys/gd-2026a/retire')).status).toBe(409);

    const rotated = await admin('POST', '/admin/issuer-keys/rotate', { id: 'gd-2027a' });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toEqual({ id: 'gd-2027a', verifyOnly: ['gd-2026a'] });
    expect((await admin('POST', '/admin/issuer-keys/rotate', { id: 'gd-2027a' })).status).toBe(409);
    expect(await keyStatuses()).toEqual({ 'gd-2026a': 'verify-only', 'gd-2027a': 'active' });

    // A verify-only key's cards still earn credit; new cards are signed by the new key.
    expect((await checkInWithCard('GD2026000101', oldSerial, 'after the rotation')).review).toBeUndefined();
    await pool.query('insert into learners (id, display_name, home_site_id, server_seq) values ($1, $2, $3, 0)', ['GD2027000001', '新学员', DEMO_SITE_ID]);
    const sheet = await cardsForSite(pool, DEMO_SITE_ID);
    const newcomer = sheet.find((card) => card.learnerId === 'GD2027000001')!;
    expect(await signingKeyOf(newcomer.serial)).toBe('gd-2027a');
    // Everyone else keeps the card they hold.
    expect(sheet.find((card) => card.learnerId === 'GD2026000101')!.serial).toBe(oldSerial);

    const before = ((await kiosk('GET', '/sync/learners/pull')).body as { checkpoint: { seq: number } }).checkpoint.seq;
    const retired = await admin('POST', '/admin/issuer-keys/gd-2026a/retire');
    expect(retired.status).toBe(200);
    const needingCards = sheet.filter((card) => card.learnerId !== 'GD2027000001').length;
    expect(retired.body).toEqual({ id: 'gd-2026a', learnersNeedingCards: needingCards });
    expect(await keyStatuses()).toEqual({ 'gd-2026a': 'retired', 'gd-2027a': 'active' });

    // Kiosks' learner lists drop the retired cards; the newcomer's card stays.
    const changed = ((await kiosk('GET', `/sync/learners/pull?seq=${before}`)).body as { documents: SiteLearner[] })
      .documents;
    expect(changed.map((learner) => learner.id).sort()).toEqual(sheet.filter((card) => card.learnerId !== 'GD2027000001').map((card) => card.learnerId).sort());
    expect(changed.every((learner) => learner.card === undefined)).toBe(true);

    // A check-in by a retired key's card is kept and held for review, not credited.
    expect((await checkInWithCard('GD2026000101', oldSerial, 'after the retirement')).review).toEqual({ status: 'held', reasons: ['card-issuer-retired'] });

    // The next sheet replaces exactly the retired cards, signed by the new key; printing it again prints the same cards.
    const reprinted = await cardsForSite(pool, DEMO_SITE_ID);
    const replacement = reprinted.find((card) => card.learnerId === 'GD2026000101')!;
    expect(replacement.serial).not.toBe(oldSerial);
    expect(await signingKeyOf(replacement.serial)).toBe('gd-2027a');
    expect(reprinted.find((card) => card.learnerId === 'GD2027000001')!.serial).toBe(newcomer.serial);
    expect((await cardsForSite(pool, DEMO_SITE_ID)).map((card) => card.serial)).toEqual(reprinted.map((card) => card.serial));
    expect((await checkInWithCard('GD2026000101', replacement.serial, 'with the new card')).review).toBeUndefined();

    // Retiring twice changes nothing; an unknown key is not found.
    expect((await admin('POST', '/admin/issuer-keys/gd-2026a/retire')).body).toEqual({ id: 'gd-2026a', learnersNeedingCards: 0 });
    expect((await admin('POST', '/admin/issuer-keys/no-such-key/retire')).status).toBe(404);
  });
});
