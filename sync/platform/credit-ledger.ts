import { v5 as uuidv5 } from 'uuid';
import type pg from 'pg';
import type { CreditSourceType } from '../protocol/credit-ledger-entry';

/** Credit-bank days are days in Guangdong, whatever the kiosk's or server's zone. */
export const PLATFORM_TIME_ZONE = 'Asia/Shanghai';
const LEDGER_NAMESPACE = '0e7a9a5c-2f0b-4c55-8d0f-3c4b8f6a9d21';

export interface CreditRules {
  hoursPerCredit: number;
  dailyCapHours: number;
}

export interface CreditSource {
  sourceType: CreditSourceType;
  sourceId: string;
  learnerId: string;
  hours: number;
  earnedAt: Date;
}

export function ledgerEntryId(sourceType: CreditSourceType, sourceId: string): string {
  return uuidv5(`${sourceType}:${sourceId}`, LEDGER_NAMESPACE);
}

export function creditDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: PLATFORM_TIME_ZONE }).format(at);
}

export async function loadCreditRules(client: pg.ClientBase): Promise<CreditRules> {
  const { rows } = await client.query<{ name: string; value: string }>('select name, value from credit_rules');
  const rule = (name: string): number => {
    const row = rows.find((r) => r.name === name);
    if (!row) throw new Error(`credit rule ${name} is missing`);
    return Number(row.value);
  };
  return { hoursPerCredit: rule('hours_per_credit'), dailyCapHours: rule('daily_cap_hours') };
}

/**
 * Adds one provisional ledger entry per source record, inside the caller's sync transaction.
 * Hours beyond a learner's daily cap are recorded as 0 so the entry still exists (and a replay
 * still finds it); the unique (source_type, source_id) constraint makes replays no-ops.
 */
export async function addLedgerEntries(client: pg.ClientBase, sources: CreditSource[]): Promise<number> {
  if (sources.length === 0) return 0;
  const rules = await loadCreditRules(client);
  const keyed = sources.map((s) => ({ ...s, earnedOn: creditDay(s.earnedAt) }));
  const { rows: used } = await client.query<{ learner_id: string; earned_on: string; hours: string }>(
    `select learner_id, to_char(earned_on, 'YYYY-MM-DD') as earned_on, sum(hours) as hours
       from credit_ledger
      where (learner_id, earned_on) in (select * from unnest($1::text[], $2::date[]))
      group by learner_id, earned_on`,
    [keyed.map((s) => s.learnerId), keyed.map((s) => s.earnedOn)],
  );
  const usedHours = new Map(used.map((r) => [`${r.learner_id}/${r.earned_on}`, Number(r.hours)]));
  const entries = keyed.map((s) => {
    const key = `${s.learnerId}/${s.earnedOn}`;
    const before = usedHours.get(key) ?? 0;
    const hours = Math.max(0, Math.min(s.hours, rules.dailyCapHours - before));
    usedHours.set(key, before + hours);
    return {
      id: ledgerEntryId(s.sourceType, s.sourceId),
      learner_id: s.learnerId,
      source_type: s.sourceType,
      source_id: s.sourceId,
      hours,
      credits: Math.round((hours / rules.hoursPerCredit) * 1000) / 1000,
      earned_on: s.earnedOn,
    };
  });
  const result = await client.query(
    `insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
     select e.id, e.learner_id, e.source_type, e.source_id, e.hours, e.credits, e.earned_on, nextval('sync_seq')
       from jsonb_to_recordset($1::jsonb)
         as e(id uuid, learner_id text, source_type text, source_id uuid, hours numeric, credits numeric, earned_on date)
     on conflict (source_type, source_id) do nothing`,
    [JSON.stringify(entries)],
  );
  return result.rowCount ?? 0;
}
