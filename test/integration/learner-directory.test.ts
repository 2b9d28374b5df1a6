import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteLearner } from '../../sync/protocol/site-learner';
import { DEMO_SITE_ID, seedDemo } from '../../sync/platform/demo-seed';
import { mintKioskCredential } from '../../sync/platform/kiosk-credential';
import { importLearnersCsv } from '../../sync/platform/admin/learners-import';
import { cardsForSite, revokeCard } from '../../sync/platform/admin/cards';
import { verifyLearnerCard } from '../../sync/protocol/learner-card';
import { httpCall } from '../support/http';
import { startTestPlatform } from '../support/platform';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let dongshan: string;
let xiguan: string;

interface Pull {
  documents: SiteLearner[];
  checkpoint: { seq: number } | null;
}

async function pull(credential: string, seq = 0): Promise<Pull> {
  const response = await httpCall(platform.url, 'GET', `/sync/learners/pull?seq=${seq}&limit=1000`, undefined, credential);
  expect(response.status).toBe(200);
  return response.body as Pull;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  dongshan = (await seedDemo(platform.database.pool, null)).kioskCredential!;
  await platform.database.pool.query(`insert into sites (id, name) values ('GZ-XIGUAN', '西关学习点')`);
  const minted = mintKioskCredential('KIOSK-XIGUAN-1');
  xiguan = minted.credential;
  await platform.database.pool.query(`insert into kiosks (id, site_id, name, token_hash) values ('KIOSK-XIGUAN-1', 'GZ-XIGUAN', 'xiguan', $1)`, [
    minted.tokenHash,
  ]);
});

afterAll(async () => {
  await platform?.close();
});

describe('learner directory replication', () => {
  it("gives a kiosk its own site's learners with their current, verifiable cards", async () => {
    const { documents, checkpoint } = await pull(dongshan);
    expect(documents).toHaveLength(20);
    expect(checkpoint?.seq).toBe(Math.max(...documents.map((d) => d.serverSeq!)));
    const first = documents.find((d) => d.id === 'GD2026000101')!;
    expect(first._deleted).toBe(false);
    expect(first.card?.text).toMatch(/^YX:/);
    const { rows: keys } = await platform.database.pool.query<{ id: string; public_key: string }>('select id, public_key from issuer_keys');
    const verdict = await verifyLearnerCard(first.card!.text, {
      issuerKeys: keys.map((k) => ({ id: k.id, publicKey: k.public_key, status: 'active' as const })),
      isRevoked: () => false,
      now: new Date(),
    });
    expect(verdict).toMatchObject({ ok: true, card: { learnerId: 'GD2026000101', serial: first.card!.serial } });
    expect((await pull(xiguan)).documents).toEqual([]);
  });

  it('sends a revoked card as a learner without a card, and a reissued one as the new card', async () => {
    const before = await pull(dongshan);
    const learner = before.documents.find((d) => d.id === 'GD2026000105')!;
    await revokeCard(platform.database.pool, learner.card!.serial);
    const afterRevoke = await pull(dongshan, before.checkpoint!.seq);
    expect(afterRevoke.documents).toEqual([expect.objectContaining({ id: 'GD2026000105', _deleted: false })]);
    expect(afterRevoke.documents[0]!.card).toBeUndefined();

    await cardsForSite(platform.database.pool, DEMO_SITE_ID);
    const afterReissue = await pull(dongshan, afterRevoke.checkpoint!.seq);
    expect(afterReissue.documents.map((d) => d.id)).toEqual(['GD2026000105']);
    expect(afterReissue.documents[0]!.card!.serial).toBeGreaterThan(learner.card!.serial);
  });

  it('sends renames, and a move between sites as a deletion at the old site and an arrival at the new', async () => {
    const dongshanBefore = await pull(dongshan);
    const xiguanBefore = await pull(xiguan);
    const csv = `id,display_name,home_site_id\nGD2026000101,陈美玲,${DEMO_SITE_ID}\nGD2026000102,李志强,GZ-XIGUAN\nGD2026000103,${dongshanBefore.documents.find((d) => d.id === 'GD2026000103')!.displayName},${DEMO_SITE_ID}\n`;
    expect(await importLearnersCsv(platform.database.pool, csv)).toEqual({ imported: 3, errors: [] });

    const dongshanAfter = await pull(dongshan, dongshanBefore.checkpoint!.seq);
    // The unchanged learner 103 is not sent again.
    expect(dongshanAfter.documents.map((d) => [d.id, d.displayName, d._deleted])).toEqual([
      ['GD2026000101', '陈美玲', false],
      ['GD2026000102', '李志强', true],
    ]);
    const xiguanAfter = await pull(xiguan, xiguanBefore.checkpoint?.seq ?? 0);
    expect(xiguanAfter.documents.map((d) => [d.id, d._deleted])).toEqual([['GD2026000102', false]]);
  });

  it('is read-only for kiosks', async () => {
    const doc: SiteLearner = { id: 'GD2026000101', displayName: 'x', _deleted: false };
    const response = await httpCall(platform.url, 'POST', '/sync/learners/push', [{ newDocumentState: doc }], dongshan);
    expect(response.status).toBe(404);
  });
});
