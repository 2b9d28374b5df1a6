import type pg from 'pg';
import { prepared } from './database';
import { applyCreditRules, dayKey, type CreditRules, type CreditSource } from './credit-rules';

export { creditDay, ledgerEntryId, PLATFORM_TIME_ZONE, type CreditRules, type CreditSource } from './credit-rules';

export async function loadCreditRules(client: pg.ClientBase): Promise<CreditRules> {
  const { rows } = await client.query<{ name: string; value: string }>(prepared(client, 'credit-rules', 'select name, value from credit_rules', []));
  const rule = (name: string): number => {
    const row = rows.find((r) => r.name === name);
    if (!row) throw new Error(`credit rule ${name} is missing`);
    return Number(row.value);
  };
  return { hoursPerCredit: rule('hours_per_credit'), dailyCapHours: rule('daily_cap_hours') };
}

/**
 * Credits sources that just became creditable, inside the caller's sync transaction, in the
 * order given (their credit_seq order). The hours each learner already holds on those days come
 * from the ledger, which is exactly what applyCreditRules would have accumulated over the earlier
 * sources; the unique (source_type, source_id) constraint makes a replay a no-op.
 */
export async function addLedgerEntries(client: pg.ClientBase, sources: CreditSource[]): Promise<number> {
  if (sources.length === 0) return 0;
  const rules = await loadCreditRules(client);
  const { rows: used } = await client.query<{ learner_id: string; earned_on: string; hours: string }>(
    prepared(
      client,
      'ledger-hours-used',
      `select learner_id, to_char(earned_on, 'YYYY-MM-DD') as earned_on, sum(hours) as hours
         from credit_ledger where learner_id = any($1::text[]) group by learner_id, earned_on`,
      [[...new Set(sources.map((s) => s.learnerId))]],
    ),
  );
  const entries = applyCreditRules(sources, rules, new Map(used.map((r) => [dayKey(r.learner_id, r.earned_on), Number(r.hours)])));
  // The constraint by name: on a partitioned ledger (partition-tables.ts) it also holds learner_id,
  // so "on conflict (source_type, source_id)" would find no matching unique index there.
  const result = await client.query(
    prepared(
      client,
      'ledger-insert',
      `insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
       select e."id", e."learnerId", e."sourceType", e."sourceId", e.hours, e.credits, e."earnedOn", next_learner_sync_seq(e."learnerId")
         from jsonb_to_recordset($1::jsonb)
           as e("id" uuid, "learnerId" text, "sourceType" text, "sourceId" uuid, hours numeric, credits numeric, "earnedOn" date)
       on conflict on constraint credit_ledger_source_type_source_id_key do nothing`,
      [JSON.stringify(entries)],
    ),
  );
  return result.rowCount ?? 0;
}
