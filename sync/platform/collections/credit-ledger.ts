import type { CreditLedgerEntry } from '../../protocol/credit-ledger-entry';
import { iso, type PlatformCollection } from './platform-collection';

interface LedgerRow {
  id: string;
  learner_id: string;
  source_type: CreditLedgerEntry['sourceType'];
  source_id: string;
  hours: string;
  credits: string;
  status: CreditLedgerEntry['status'];
  earned_on: string;
  created_at: Date;
  server_seq: string;
}

/**
 * Read-only for kiosks: entries of learners placed at the kiosk's site. The placement is a row
 * (learner_sites) stamped when it happens, and placing a learner gives their entries new
 * sequence numbers, so an incremental pull and a pull from scratch hold the same entries.
 */
export const creditLedgerCollection: PlatformCollection<CreditLedgerEntry> = {
  async pull(pool, kiosk, afterSeq, limit) {
    const { rows } = await pool.query<LedgerRow>(
      `select l.id, l.learner_id, l.source_type, l.source_id, l.hours, l.credits, l.status,
              to_char(l.earned_on, 'YYYY-MM-DD') as earned_on, l.created_at, l.server_seq
         from credit_ledger l
        where l.server_seq > $2
          and exists (select 1 from learner_sites s where s.learner_id = l.learner_id and s.site_id = $1)
        order by l.server_seq
        limit $3`,
      [kiosk.siteId, afterSeq, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      learnerId: row.learner_id,
      sourceType: row.source_type,
      sourceId: row.source_id,
      hours: Number(row.hours),
      credits: Number(row.credits),
      status: row.status,
      earnedOn: row.earned_on,
      createdAt: iso(row.created_at),
      serverSeq: Number(row.server_seq),
      _deleted: false,
    }));
  },
};
