import type pg from 'pg';
import type { CreditSourceType } from '../../protocol/credit-ledger-entry';
import { attendanceCreditSource } from '../collections/attendance';
import { lessonCreditSource } from '../collections/lesson-progress';
import { loadCreditRules } from '../credit-ledger';
import { applyCreditRules, type CreditSource, type LedgerLine } from '../credit-rules';
import { withSyncWrite } from '../database';

export type LedgerDifference =
  | { kind: 'missing'; sourceType: CreditSourceType; sourceId: string; learnerId: string; expectedHours: number }
  | { kind: 'hours-mismatch'; entryId: string; sourceType: CreditSourceType; learnerId: string; expectedHours: number; actualHours: number }
  | { kind: 'orphan'; entryId: string; sourceType: CreditSourceType; learnerId: string; actualHours: number };

export interface LedgerRecomputation {
  checked: number;
  differences: LedgerDifference[];
  /** How many differences were written back (0 unless asked to apply). */
  repaired: number;
}

/**
 * Every creditable source record (accepted or approved attendance, credited lesson completions),
 * in credit_seq order: the order the push path and approvals credited them in.
 */
export async function creditableSources(client: pg.ClientBase): Promise<CreditSource[]> {
  const { rows } = await client.query<{
    source_type: 'attendance' | 'lesson'; id: string; learner_id: string; starts_at: Date | null; ends_at: Date | null;
    hours: string | null; completed_at: Date | null;
  }>(
    `select 'attendance' as source_type, a.id, a.learner_id, s.starts_at, s.ends_at, null::numeric as hours, null::timestamptz as completed_at, a.credit_seq
       from attendance a join class_sessions s on s.id = a.class_session_id
      where a.credit_seq is not null
     union all
     select 'lesson', p.id, p.learner_id, null, null, p.credited_hours, p.completed_at, p.credit_seq
       from lesson_progress p where p.credit_seq is not null
     order by credit_seq`,
  );
  return rows.map((r) =>
    r.source_type === 'attendance'
      ? attendanceCreditSource(r.id, r.learner_id, { starts_at: r.starts_at as Date, ends_at: r.ends_at as Date })
      : lessonCreditSource(r.id, r.learner_id, Number(r.hours), r.completed_at as Date),
  );
}

/**
 * Replays the one credit rule (credit-rules.ts) over every creditable source and compares with
 * the ledger; writes only when `apply`. A healthy ledger matches exactly, whatever mix of source
 * types a learner's day holds.
 */
export async function recomputeLedger(pool: pg.Pool, options: { apply: boolean }): Promise<LedgerRecomputation> {
  return withSyncWrite(pool, async (client) => {
    const expected = applyCreditRules(await creditableSources(client), await loadCreditRules(client));
    const { rows: ledger } = await client.query<{ id: string; learner_id: string; source_type: CreditSourceType; source_id: string; hours: string }>(
      'select id, learner_id, source_type, source_id, hours from credit_ledger',
    );
    // Matched on the source, as the ledger's unique constraint is.
    const actual = new Map(ledger.map((l) => [`${l.source_type}:${l.source_id}`, l]));
    const differences: LedgerDifference[] = [];
    const toWrite: LedgerLine[] = [];
    for (const entry of expected) {
      const key = `${entry.sourceType}:${entry.sourceId}`;
      const found = actual.get(key);
      actual.delete(key);
      if (!found) {
        differences.push({ kind: 'missing', sourceType: entry.sourceType, sourceId: entry.sourceId, learnerId: entry.learnerId, expectedHours: entry.hours });
        toWrite.push(entry);
      } else if (Number(found.hours) !== entry.hours) {
        differences.push({
          kind: 'hours-mismatch', entryId: found.id, sourceType: entry.sourceType, learnerId: entry.learnerId, expectedHours: entry.hours, actualHours: Number(found.hours),
        });
        toWrite.push(entry);
      }
    }
    for (const orphan of actual.values()) {
      differences.push({ kind: 'orphan', entryId: orphan.id, sourceType: orphan.source_type, learnerId: orphan.learner_id, actualHours: Number(orphan.hours) });
    }
    if (options.apply && toWrite.length > 0) {
      // A corrected entry goes back to provisional: its hours changed, so it must be confirmed again.
      // The unique source constraint by name, as in addLedgerEntries (it holds learner_id once partitioned).
      await client.query(
        `insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
         select e."id", e."learnerId", e."sourceType", e."sourceId", e.hours, e.credits, e."earnedOn", next_sync_seq()
           from jsonb_to_recordset($1::jsonb)
             as e("id" uuid, "learnerId" text, "sourceType" text, "sourceId" uuid, hours numeric, credits numeric, "earnedOn" date)
         on conflict on constraint credit_ledger_source_type_source_id_key do update set hours = excluded.hours, credits = excluded.credits,
           status = 'provisional', confirmed_at = null, server_seq = excluded.server_seq`,
        [JSON.stringify(toWrite)],
      );
    }
    return { checked: expected.length, differences, repaired: options.apply ? toWrite.length : 0 };
  });
}
