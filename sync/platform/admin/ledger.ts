import type pg from 'pg';
import { withSyncWrite } from '../database';

export interface LedgerConfirmation {
  /** Confirm these entries; omitted means every provisional entry that matches the rest. */
  ids?: string[] | undefined;
  siteId?: string | undefined;
  /** Only entries earned on or before this day (YYYY-MM-DD, Guangdong time). */
  throughDay?: string | undefined;
}

/**
 * Provisional entries become confirmed once staff have checked them against the class register.
 * By site: every source type recorded there (check-ins, and lessons completed there).
 * Each confirmed entry gets a new sequence number so kiosks pull the new status.
 */
export async function confirmLedgerEntries(pool: pg.Pool, which: LedgerConfirmation): Promise<number> {
  return withSyncWrite(pool, async (client) => {
    const result = await client.query(
      `update credit_ledger l set status = 'confirmed', confirmed_at = now(), server_seq = next_sync_seq()
        where l.status = 'provisional'
          and ($1::uuid[] is null or l.id = any($1::uuid[]))
          and ($3::date is null or l.earned_on <= $3::date)
          and ($2::text is null
               or exists (select 1 from attendance a where l.source_type = 'attendance' and a.id = l.source_id and a.site_id = $2)
               or exists (select 1 from lesson_progress p where l.source_type = 'lesson' and p.id = l.source_id and p.site_id = $2))`,
      [which.ids ?? null, which.siteId ?? null, which.throughDay ?? null],
    );
    return result.rowCount ?? 0;
  });
}
