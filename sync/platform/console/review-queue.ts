import type { ReviewReason } from '../../protocol/sync-outcome';

/** A pushed record the platform holds for review instead of crediting it. */
export interface HeldRecord {
  type: 'attendance' | 'lesson';
  id: string;
  siteId: string;
  learnerId: string;
  /** What the record is about: the class session's title or the course and lesson. */
  subject: string;
  deviceTime: Date;
  reasons: ReviewReason[];
}

/**
 * What the console needs of the platform's review queue. The queue itself (which records are
 * held, and what approving one does to the ledger) belongs to the sync core; the console only
 * lists and decides, always within the operator's sites.
 */
export interface ReviewQueue {
  held(siteIds: string[]): Promise<HeldRecord[]>;
  /** Decides the given records if they are held at one of siteIds; answers how many were decided. */
  decide(siteIds: string[], decision: 'approve' | 'refuse', records: { type: 'attendance' | 'lesson'; id: string }[]): Promise<number>;
}
