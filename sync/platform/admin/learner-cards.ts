import type pg from 'pg';
import { withSyncWrite } from '../database';
import { ensureActiveIssuerKey, issueCardFor } from '../issuer-keys';
import { AdminNotFound } from './sites';

/** A new card for one learner (after a lost or revoked card); the old one stays valid until revoked. */
export async function issueNewCard(pool: pg.Pool, learnerId: string, now = new Date()): Promise<{ serial: number; expiresAt: Date }> {
  return withSyncWrite(pool, async (client) => {
    const { rows } = await client.query('select 1 from learners where id = $1', [learnerId]);
    if (rows.length === 0) throw new AdminNotFound(`Learner ${learnerId} does not exist.`);
    await ensureActiveIssuerKey(client, now);
    const { serial, expiresAt } = await issueCardFor(client, learnerId, now);
    return { serial, expiresAt };
  });
}

/** The home site of the learner a card was issued to, or null when there is no such card. */
export async function cardHomeSite(pool: pg.Pool, serial: number): Promise<string | null> {
  const { rows } = await pool.query<{ home_site_id: string | null }>(
    'select l.home_site_id from learner_cards c join learners l on l.id = c.learner_id where c.serial = $1',
    [serial],
  );
  const row = rows[0];
  return row ? (row.home_site_id ?? '') : null;
}
