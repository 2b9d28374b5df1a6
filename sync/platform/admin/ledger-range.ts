import type pg from 'pg';
import { confirmLedgerEntries } from './ledger';

export interface LedgerRange {
  siteId: string;
  /** Inclusive days (YYYY-MM-DD) on which the entries were earned. */
  fromDay: string;
  toDay: string;
}

export interface LedgerRangeSummary {
  sourceType: string;
  provisional: number;
  confirmed: number;
  hours: number;
}

/**
 * The ledger entries earned at a site between two days, of every source type whose record names
 * its site: attendance (through the attendance row) and lessons (through the progress row).
 */
const ENTRIES_IN_RANGE = `
  select c.id, c.source_type, c.status, c.hours from credit_ledger c
    left join attendance a on c.source_type = 'attendance' and a.id = c.source_id
    left join lesson_progress p on c.source_type = 'lesson' and p.id = c.source_id
   where coalesce(a.site_id, p.site_id) = $1 and c.earned_on between $2::date and $3::date`;

export async function ledgerRangeSummary(pool: pg.Pool, range: LedgerRange): Promise<LedgerRangeSummary[]> {
  const { rows } = await pool.query<{ source_type: string; provisional: string; confirmed: string; hours: string }>(
    `select source_type, count(*) filter (where status = 'provisional') as provisional,
            count(*) filter (where status = 'confirmed') as confirmed, coalesce(sum(hours), 0) as hours
       from (${ENTRIES_IN_RANGE}) e group by 1 order by 1`,
    [range.siteId, range.fromDay, range.toDay],
  );
  return rows.map((r) => ({ sourceType: r.source_type, provisional: Number(r.provisional), confirmed: Number(r.confirmed), hours: Number(r.hours) }));
}

/** Confirms every provisional entry in the range, through the one confirming function (ledger.ts). */
export async function confirmLedgerRange(pool: pg.Pool, range: LedgerRange): Promise<number> {
  if (range.toDay < range.fromDay) throw new RangeError('The range ends before it starts.');
  const { rows } = await pool.query<{ id: string }>(`select id from (${ENTRIES_IN_RANGE}) e where status = 'provisional'`, [
    range.siteId,
    range.fromDay,
    range.toDay,
  ]);
  let confirmed = 0;
  // The confirming function takes at most 10,000 ids a call, as the admin API does.
  for (let i = 0; i < rows.length; i += 10_000) {
    confirmed += await confirmLedgerEntries(pool, { ids: rows.slice(i, i + 10_000).map((r) => r.id) });
  }
  return confirmed;
}
