import type pg from 'pg';
import type { ReviewReason } from '../../protocol/sync-outcome';
import { approveHeldRecord, heldRecords, refuseHeldRecord, type ReviewedCollection } from '../admin/review';
import { AdminConflict, AdminNotFound } from '../admin/sites';
import type { HeldRecord, ReviewQueue } from './review-queue';

const TYPE_OF: Record<ReviewedCollection, HeldRecord['type']> = { attendance: 'attendance', lesson_progress: 'lesson' };

/** The console's view of the platform's review queue (sync/platform/admin/review.ts), per site. */
export function platformReviewQueue(pool: pg.Pool): ReviewQueue {
  async function held(siteIds: string[]): Promise<HeldRecord[]> {
    const perSite = await Promise.all(siteIds.map((siteId) => heldRecords(pool, siteId)));
    return perSite.flat().map((r) => ({
      type: TYPE_OF[r.collection],
      id: r.id,
      siteId: r.siteId,
      learnerId: r.learnerId,
      subject: r.subject,
      deviceTime: new Date(r.deviceTime),
      reasons: r.reasons as ReviewReason[],
    }));
  }
  return {
    held,
    async decide(siteIds, decision, records) {
      const heldHere = new Set((await held(siteIds)).map((r) => `${r.type}/${r.id}`));
      let decided = 0;
      // One by one, each in its own transaction: approving credits through the one credit rule in
      // approval order, and a record that cannot be approved yet (its learner is not imported)
      // stays held without stopping the rest of a bulk decision.
      for (const record of records) {
        if (!heldHere.has(`${record.type}/${record.id}`)) continue;
        try {
          if (decision === 'approve') await approveHeldRecord(pool, record.id);
          else await refuseHeldRecord(pool, record.id);
          decided++;
        } catch (error) {
          if (!(error instanceof AdminConflict || error instanceof AdminNotFound)) throw error;
        }
      }
      return decided;
    },
  };
}
