import type pg from 'pg';
import { scheduledHours } from '../../protocol/class-session';
import { withSyncWrite } from '../database';
import { creditDay, ledgerEntryId, loadCreditRules, type CreditRules } from '../credit-ledger';

export type LedgerDifference =
  | { kind: 'missing'; attendanceId: string; learnerId: string; expectedHours: number }
  | { kind: 'hours-mismatch'; entryId: string; learnerId: string; expectedHours: number; actualHours: number }
  | { kind: 'orphan'; entryId: string; learnerId: string; actualHours: number };

export interface LedgerRecomputation {
  checked: number;
  differences: LedgerDifference[];
  /** How many differences were written back (0 unless asked to apply). */
  repaired: number;
}

interface AttendanceFacts {
  id: string;
  learner_id: string;
  starts_at: Date;
  ends_at: Date;
}

interface ExpectedEntry {
  id: string;
  attendanceId: string;
  learnerId: string;
  hours: number;
  credits: number;
  earnedOn: string;
}

/**
 * Replays the rules over every attendance record in the order the platform stored them (server
 * sequence), which is the order addLedgerEntries capped them in, so a healthy ledger matches
 * exactly and any difference is a real one.
 */
function expectedEntries(attendance: AttendanceFacts[], rules: CreditRules): ExpectedEntry[] {
  const usedHours = new Map<string, number>();
  return attendance.map((a) => {
    const earnedOn = creditDay(a.starts_at);
    const key = `${a.learner_id}/${earnedOn}`;
    const before = usedHours.get(key) ?? 0;
    const hours = Math.max(0, Math.min(scheduledHours(a.starts_at, a.ends_at), rules.dailyCapHours - before));
    usedHours.set(key, before + hours);
    return {
      id: ledgerEntryId('attendance', a.id),
      attendanceId: a.id,
      learnerId: a.learner_id,
      hours,
      credits: Math.round((hours / rules.hoursPerCredit) * 1000) / 1000,
      earnedOn,
    };
  });
}

/** Compares the attendance part of the ledger with what the rules say; writes only when `apply`. */
export async function recomputeAttendanceLedger(pool: pg.Pool, options: { apply: boolean }): Promise<LedgerRecomputation> {
  return withSyncWrite(pool, async (client) => {
    const rules = await loadCreditRules(client);
    const { rows: attendance } = await client.query<AttendanceFacts>(
      `select a.id, a.learner_id, s.starts_at, s.ends_at from attendance a join class_sessions s on s.id = a.class_session_id
        order by a.server_seq`,
    );
    const { rows: ledger } = await client.query<{ id: string; learner_id: string; source_id: string; hours: string }>(
      `select id, learner_id, source_id, hours from credit_ledger where source_type = 'attendance'`,
    );
    const actual = new Map(ledger.map((l) => [l.source_id, l]));
    const expected = expectedEntries(attendance, rules);
    const differences: LedgerDifference[] = [];
    const toWrite: ExpectedEntry[] = [];
    for (const entry of expected) {
      const found = actual.get(entry.attendanceId);
      actual.delete(entry.attendanceId);
      if (!found) {
        differences.push({ kind: 'missing', attendanceId: entry.attendanceId, learnerId: entry.learnerId, expectedHours: entry.hours });
        toWrite.push(entry);
      } else if (Number(found.hours) !== entry.hours) {
        differences.push({ kind: 'hours-mismatch', entryId: found.id, learnerId: entry.learnerId, expectedHours: entry.hours, actualHours: Number(found.hours) });
        toWrite.push(entry);
      }
    }
    for (const orphan of actual.values()) {
      differences.push({ kind: 'orphan', entryId: orphan.id, learnerId: orphan.learner_id, actualHours: Number(orphan.hours) });
    }
    if (options.apply && toWrite.length > 0) {
      // A corrected entry goes back to provisional: its hours changed, so it must be confirmed again.
      await client.query(
        `insert into credit_ledger (id, learner_id, source_type, source_id, hours, credits, earned_on, server_seq)
         select e.id, e.learner_id, 'attendance', e.source_id, e.hours, e.credits, e.earned_on, nextval('sync_seq')
           from jsonb_to_recordset($1::jsonb) as e(id uuid, learner_id text, source_id uuid, hours numeric, credits numeric, earned_on date)
         on conflict (source_type, source_id) do update set hours = excluded.hours, credits = excluded.credits,
           status = 'provisional', confirmed_at = null, server_seq = excluded.server_seq`,
        [JSON.stringify(toWrite.map((e) => ({ id: e.id, learner_id: e.learnerId, source_id: e.attendanceId, hours: e.hours, credits: e.credits, earned_on: e.earnedOn })))],
      );
    }
    return { checked: expected.length, differences, repaired: options.apply ? toWrite.length : 0 };
  });
}
