import type pg from 'pg';
import { Value } from 'typebox/value';
import { Code } from '../../protocol/common';
import { withSyncWrite } from '../database';
import { createIssuerKey } from '../issuer-keys';
import { AdminConflict, AdminNotFound } from './sites';

export interface IssuerKeySummary {
  id: string;
  status: 'active' | 'verify-only' | 'retired';
  createdAt: Date;
  /** Cards this key signed that are not revoked. */
  cards: number;
}

export async function listIssuerKeys(pool: pg.Pool): Promise<IssuerKeySummary[]> {
  const { rows } = await pool.query<{ id: string; status: IssuerKeySummary['status']; created_at: Date; cards: number }>(
    `select k.id, k.status, k.created_at,
            (select count(*) from learner_cards c where c.issuer_key_id = k.id
                and not exists (select 1 from card_revocations r where r.serial = c.serial))::int as cards
       from issuer_keys k order by k.created_at, k.id`,
  );
  return rows.map((r) => ({ id: r.id, status: r.status, createdAt: r.created_at, cards: r.cards }));
}

/** The next free id of the form the first key took (issuer-keys.ts): gd-2027a, gd-2027b, … */
function nextKeyId(taken: Set<string>, now: Date): string {
  for (let letter = 0; letter < 26; letter++) {
    const id = `gd-${now.getUTCFullYear()}${String.fromCharCode(97 + letter)}`;
    if (!taken.has(id)) return id;
  }
  throw new AdminConflict(`Every key id of ${now.getUTCFullYear()} is taken: name the new key with --id.`);
}

/**
 * A new signing key. The keys signing until now become verify-only: kiosks still accept the
 * cards they signed, and new cards are signed with the new key; both go out with the next pull.
 */
export async function rotateIssuerKey(pool: pg.Pool, requestedId?: string, now = new Date()): Promise<{ id: string; verifyOnly: string[] }> {
  if (requestedId !== undefined && !Value.Check(Code, requestedId)) throw new AdminConflict(`"${requestedId}" is not a key id: letters, digits, - and _ only.`);
  return withSyncWrite(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>('select id from issuer_keys');
    const taken = new Set(rows.map((r) => r.id));
    if (requestedId !== undefined && taken.has(requestedId)) throw new AdminConflict(`Issuer key ${requestedId} already exists.`);
    const id = requestedId ?? nextKeyId(taken, now);
    const { rows: demoted } = await client.query<{ id: string }>(
      `update issuer_keys set status = 'verify-only', server_seq = next_sync_seq() where status = 'active' returning id`,
    );
    await createIssuerKey(client, id);
    return { id, verifyOnly: demoted.map((r) => r.id).sort() };
  });
}

/**
 * Retires a key (one leaked, or one whose cards have all been replaced): kiosks refuse its cards
 * once they pull the change, and the platform holds any check-in by them for review. The cards it
 * signed stop being their learners' current cards, so the next card sheet (`cards --site`)
 * issues new ones. The key signing new cards is not retired: rotate first.
 */
export async function retireIssuerKey(pool: pg.Pool, id: string): Promise<{ id: string; learnersNeedingCards: number }> {
  return withSyncWrite(pool, async (client) => {
    const { rows } = await client.query<{ status: IssuerKeySummary['status'] }>('select status from issuer_keys where id = $1', [id]);
    const key = rows[0];
    if (!key) throw new AdminNotFound(`Issuer key ${id} does not exist.`);
    if (key.status === 'active') throw new AdminConflict(`Issuer key ${id} signs new cards: rotate to a new key first (issuer-key rotate), then retire it.`);
    if (key.status === 'retired') return { id, learnersNeedingCards: 0 };
    await client.query(`update issuer_keys set status = 'retired', server_seq = next_sync_seq() where id = $1`, [id]);
    // Their kiosks' learner lists drop the retired card with the next directory pull.
    const { rowCount } = await client.query(
      `update learners set server_seq = next_sync_seq()
        where id in (select c.learner_id from learner_cards c where c.issuer_key_id = $1)
          and not exists (select 1 from latest_learner_cards l where l.learner_id = learners.id)`,
      [id],
    );
    return { id, learnersNeedingCards: rowCount ?? 0 };
  });
}

/** What both admin CLIs (cli.ts on the database, cli-remote.ts through a platform) print. */
export const issuerKeyReports = {
  list: (keys: { id: string; status: string; createdAt: Date | string; cards: number }[]) =>
    keys.map((k) => `${k.id}\t${k.status}\t${new Date(k.createdAt).toISOString().slice(0, 10)}\t${k.cards} card(s)`).join('\n') || 'No issuer keys yet: one is made with the first card sheet.',
  rotated: (result: { id: string; verifyOnly: string[] }) =>
    `Issuer key ${result.id} now signs new cards.` +
    (result.verifyOnly.length > 0 ? ` ${result.verifyOnly.join(', ')}: verify-only (their cards still work). Kiosks learn this with their next pull.` : ''),
  retired: (result: { id: string; learnersNeedingCards: number }) =>
    `Issuer key ${result.id} retired: kiosks refuse its cards after their next pull. ${result.learnersNeedingCards} learner(s) need a new card (cards --site SITE).`,
};
